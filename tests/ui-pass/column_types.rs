// Every supported column type, alone and as `Option`, including the feature-gated ones.
#![deny(warnings)]
use trellis::prelude::*;

#[derive(Model, Debug, Clone)]
pub struct Everything {
    #[field(id, auto)]
    pub id: i64,
    pub flag: bool,
    pub small: i16,
    pub int: i32,
    pub big: i64,
    pub real: f32,
    pub double: f64,
    pub text: String,
    pub bytes: Vec<u8>,
    pub uuid: uuid::Uuid,
    pub chrono_naive_date_time: chrono::NaiveDateTime,
    pub chrono_date_time_utc: chrono::DateTime<chrono::Utc>,
    pub chrono_date: chrono::NaiveDate,
    pub chrono_time: chrono::NaiveTime,
    pub time_primitive_date_time: time::PrimitiveDateTime,
    pub time_offset_date_time: time::OffsetDateTime,
    pub time_date: time::Date,
    pub time_time: time::Time,
    pub decimal: rust_decimal::Decimal,
    pub json: serde_json::Value,
}

#[derive(Model, Debug, Clone)]
pub struct EverythingOptional {
    #[field(id)]
    pub id: i64,
    pub flag: Option<bool>,
    pub small: Option<i16>,
    pub int: Option<i32>,
    pub big: Option<i64>,
    pub real: Option<f32>,
    pub double: Option<f64>,
    pub text: Option<String>,
    pub bytes: Option<Vec<u8>>,
    pub uuid: Option<uuid::Uuid>,
    pub chrono_naive_date_time: Option<chrono::NaiveDateTime>,
    pub chrono_date_time_utc: Option<chrono::DateTime<chrono::Utc>>,
    pub chrono_date: Option<chrono::NaiveDate>,
    pub chrono_time: Option<chrono::NaiveTime>,
    pub time_primitive_date_time: Option<time::PrimitiveDateTime>,
    pub time_offset_date_time: Option<time::OffsetDateTime>,
    pub time_date: Option<time::Date>,
    pub time_time: Option<time::Time>,
    pub decimal: Option<rust_decimal::Decimal>,
    pub json: Option<serde_json::Value>,
}

/// Keys of the other generated types: a Trellis-generated `uuid::Uuid`, and small integers.
#[derive(Model, Debug, Clone)]
pub struct UuidKeyed {
    #[field(id, auto)]
    pub id: uuid::Uuid,
}

#[derive(Model, Debug, Clone)]
pub struct SmallKeyed {
    #[field(id, auto)]
    pub id: i16,
}

#[derive(Model, Debug, Clone)]
pub struct TextKeyed {
    #[field(id)]
    pub code: String,
}

fn main() {
    assert!(!Everything::META.columns[1].nullable);
    assert!(EverythingOptional::META.columns[1].nullable);
    let _ = everything_optional::text.eq("x".to_owned());
    let _ = UuidKeyed::find_by_id(uuid::Uuid::nil());
    let _ = TextKeyed::find_by_id("abc".to_owned());
}
