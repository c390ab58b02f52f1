//! The models of a SQLite database, written by `trellis pull`.
//!
//! A pull writes this file again: keep your own code (impl blocks, functions) in other
//! files of the crate.

use trellis::prelude::*;

/// A row of `m0`.
#[derive(Model, Debug, Clone)]
#[model(table = "m0")]
pub struct M0 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[relation(has_many = M1, foreign_key = "parent_id")]
    pub m1s: HasMany<M1>,
    #[relation(has_many = M14, foreign_key = "parent_id")]
    pub m14s: HasMany<M14>,
    #[relation(has_one = M15, foreign_key = "owner_id")]
    pub m15: HasOne<M15>,
    #[relation(has_many = M2, foreign_key = "parent_id")]
    pub m2s: HasMany<M2>,
    #[relation(has_many = M22, foreign_key = "parent_id")]
    pub m22s: HasMany<M22>,
    #[relation(has_many = M3, foreign_key = "parent_id")]
    pub m3s_as_parent: HasMany<M3>,
    #[relation(has_one = M3, foreign_key = "owner_id")]
    pub m3_as_owner: HasOne<M3>,
    #[relation(has_one = M39, foreign_key = "owner_id")]
    pub m39: HasOne<M39>,
    #[relation(has_many = M46, foreign_key = "parent_id")]
    pub m46s: HasMany<M46>,
    #[relation(has_one = M65, foreign_key = "owner_id")]
    pub m65: HasOne<M65>,
    #[relation(has_many = M84, foreign_key = "parent_id")]
    pub m84s: HasMany<M84>,
}

/// A row of `m1`.
#[derive(Model, Debug, Clone)]
#[model(table = "m1")]
pub struct M1 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M0)]
    pub parent_id: i64,
    #[relation(belongs_to = M0, foreign_key = "parent_id")]
    pub parent: BelongsTo<M0>,
    #[relation(has_many = M11, foreign_key = "parent_id")]
    pub m11s: HasMany<M11>,
    #[relation(has_many = M17, foreign_key = "parent_id")]
    pub m17s: HasMany<M17>,
    #[relation(has_many = M20, foreign_key = "parent_id")]
    pub m20s: HasMany<M20>,
    #[relation(has_many = M4, foreign_key = "parent_id")]
    pub m4s: HasMany<M4>,
    #[relation(has_one = M42, foreign_key = "owner_id")]
    pub m42: HasOne<M42>,
    #[relation(has_one = M9, foreign_key = "owner_id")]
    pub m9: HasOne<M9>,
}

/// A row of `m10`.
#[derive(Model, Debug, Clone)]
#[model(table = "m10")]
pub struct M10 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M4)]
    pub parent_id: i64,
    #[field(index, references = M10)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M4, foreign_key = "parent_id")]
    pub parent: BelongsTo<M4>,
    #[relation(belongs_to = M10, foreign_key = "self_id")]
    pub self_: BelongsTo<M10>,
    #[relation(has_many = M10, foreign_key = "self_id")]
    pub m10s_as_self: HasMany<M10>,
    #[relation(has_one = M14, foreign_key = "owner_id")]
    pub m14: HasOne<M14>,
    #[relation(has_many = M28, foreign_key = "parent_id")]
    pub m28s: HasMany<M28>,
    #[relation(has_many = M34, foreign_key = "parent_id")]
    pub m34s: HasMany<M34>,
    #[relation(has_many = M37, foreign_key = "parent_id")]
    pub m37s: HasMany<M37>,
    #[relation(has_many = M39, foreign_key = "parent_id")]
    pub m39s: HasMany<M39>,
}

/// A row of `m100`.
#[derive(Model, Debug, Clone)]
#[model(table = "m100")]
pub struct M100 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M29)]
    pub a_id: i64,
    #[field(index, references = M61)]
    pub b_id: i64,
    #[relation(belongs_to = M29, foreign_key = "a_id")]
    pub a: BelongsTo<M29>,
    #[relation(belongs_to = M61, foreign_key = "b_id")]
    pub b: BelongsTo<M61>,
}

/// A row of `m101`.
#[derive(Model, Debug, Clone)]
#[model(table = "m101")]
pub struct M101 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M85)]
    pub a_id: i64,
    #[field(index, references = M43)]
    pub b_id: i64,
    #[relation(belongs_to = M85, foreign_key = "a_id")]
    pub a: BelongsTo<M85>,
    #[relation(belongs_to = M43, foreign_key = "b_id")]
    pub b: BelongsTo<M43>,
}

/// A row of `m102`.
#[derive(Model, Debug, Clone)]
#[model(table = "m102")]
pub struct M102 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M37)]
    pub a_id: i64,
    #[field(index, references = M11)]
    pub b_id: i64,
    #[relation(belongs_to = M37, foreign_key = "a_id")]
    pub a: BelongsTo<M37>,
    #[relation(belongs_to = M11, foreign_key = "b_id")]
    pub b: BelongsTo<M11>,
}

/// A row of `m103`.
#[derive(Model, Debug, Clone)]
#[model(table = "m103")]
pub struct M103 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M22)]
    pub a_id: i64,
    #[field(index, references = M16)]
    pub b_id: i64,
    #[relation(belongs_to = M22, foreign_key = "a_id")]
    pub a: BelongsTo<M22>,
    #[relation(belongs_to = M16, foreign_key = "b_id")]
    pub b: BelongsTo<M16>,
}

/// A row of `m104`.
#[derive(Model, Debug, Clone)]
#[model(table = "m104")]
pub struct M104 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M68)]
    pub a_id: i64,
    #[field(index, references = M84)]
    pub b_id: i64,
    #[relation(belongs_to = M68, foreign_key = "a_id")]
    pub a: BelongsTo<M68>,
    #[relation(belongs_to = M84, foreign_key = "b_id")]
    pub b: BelongsTo<M84>,
}

/// A row of `m105`.
#[derive(Model, Debug, Clone)]
#[model(table = "m105")]
pub struct M105 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M99)]
    pub a_id: i64,
    #[field(index, references = M74)]
    pub b_id: i64,
    #[relation(belongs_to = M99, foreign_key = "a_id")]
    pub a: BelongsTo<M99>,
    #[relation(belongs_to = M74, foreign_key = "b_id")]
    pub b: BelongsTo<M74>,
}

/// A row of `m106`.
#[derive(Model, Debug, Clone)]
#[model(table = "m106")]
pub struct M106 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M60)]
    pub a_id: i64,
    #[field(index, references = M86)]
    pub b_id: i64,
    #[relation(belongs_to = M60, foreign_key = "a_id")]
    pub a: BelongsTo<M60>,
    #[relation(belongs_to = M86, foreign_key = "b_id")]
    pub b: BelongsTo<M86>,
}

/// A row of `m107`.
#[derive(Model, Debug, Clone)]
#[model(table = "m107")]
pub struct M107 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M18)]
    pub a_id: i64,
    #[field(index, references = M80)]
    pub b_id: i64,
    #[relation(belongs_to = M18, foreign_key = "a_id")]
    pub a: BelongsTo<M18>,
    #[relation(belongs_to = M80, foreign_key = "b_id")]
    pub b: BelongsTo<M80>,
}

/// A row of `m108`.
#[derive(Model, Debug, Clone)]
#[model(table = "m108")]
pub struct M108 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M16)]
    pub a_id: i64,
    #[field(index, references = M95)]
    pub b_id: i64,
    #[relation(belongs_to = M16, foreign_key = "a_id")]
    pub a: BelongsTo<M16>,
    #[relation(belongs_to = M95, foreign_key = "b_id")]
    pub b: BelongsTo<M95>,
}

/// A row of `m109`.
#[derive(Model, Debug, Clone)]
#[model(table = "m109")]
pub struct M109 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M37)]
    pub a_id: i64,
    #[field(index, references = M79)]
    pub b_id: i64,
    #[relation(belongs_to = M37, foreign_key = "a_id")]
    pub a: BelongsTo<M37>,
    #[relation(belongs_to = M79, foreign_key = "b_id")]
    pub b: BelongsTo<M79>,
}

/// A row of `m11`.
#[derive(Model, Debug, Clone)]
#[model(table = "m11")]
pub struct M11 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M1)]
    pub parent_id: i64,
    #[relation(belongs_to = M1, foreign_key = "parent_id")]
    pub parent: BelongsTo<M1>,
    #[relation(has_many = M102, foreign_key = "b_id")]
    pub m102s: HasMany<M102>,
    #[relation(has_one = M17, foreign_key = "owner_id")]
    pub m17: HasOne<M17>,
}

/// A row of `m110`.
#[derive(Model, Debug, Clone)]
#[model(table = "m110")]
pub struct M110 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M71)]
    pub a_id: i64,
    #[field(index, references = M68)]
    pub b_id: i64,
    #[relation(belongs_to = M71, foreign_key = "a_id")]
    pub a: BelongsTo<M71>,
    #[relation(belongs_to = M68, foreign_key = "b_id")]
    pub b: BelongsTo<M68>,
}

/// A row of `m111`.
#[derive(Model, Debug, Clone)]
#[model(table = "m111")]
pub struct M111 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M38)]
    pub a_id: i64,
    #[field(index, references = M58)]
    pub b_id: i64,
    #[relation(belongs_to = M38, foreign_key = "a_id")]
    pub a: BelongsTo<M38>,
    #[relation(belongs_to = M58, foreign_key = "b_id")]
    pub b: BelongsTo<M58>,
}

/// A row of `m112`.
#[derive(Model, Debug, Clone)]
#[model(table = "m112")]
pub struct M112 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M24)]
    pub a_id: i64,
    #[field(index, references = M39)]
    pub b_id: i64,
    #[relation(belongs_to = M24, foreign_key = "a_id")]
    pub a: BelongsTo<M24>,
    #[relation(belongs_to = M39, foreign_key = "b_id")]
    pub b: BelongsTo<M39>,
}

/// A row of `m113`.
#[derive(Model, Debug, Clone)]
#[model(table = "m113")]
pub struct M113 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M69)]
    pub a_id: i64,
    #[field(index, references = M79)]
    pub b_id: i64,
    #[relation(belongs_to = M69, foreign_key = "a_id")]
    pub a: BelongsTo<M69>,
    #[relation(belongs_to = M79, foreign_key = "b_id")]
    pub b: BelongsTo<M79>,
}

/// A row of `m114`.
#[derive(Model, Debug, Clone)]
#[model(table = "m114")]
pub struct M114 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M53)]
    pub a_id: i64,
    #[field(index, references = M26)]
    pub b_id: i64,
    #[relation(belongs_to = M53, foreign_key = "a_id")]
    pub a: BelongsTo<M53>,
    #[relation(belongs_to = M26, foreign_key = "b_id")]
    pub b: BelongsTo<M26>,
}

/// A row of `m115`.
#[derive(Model, Debug, Clone)]
#[model(table = "m115")]
pub struct M115 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M58)]
    pub a_id: i64,
    #[field(index, references = M95)]
    pub b_id: i64,
    #[relation(belongs_to = M58, foreign_key = "a_id")]
    pub a: BelongsTo<M58>,
    #[relation(belongs_to = M95, foreign_key = "b_id")]
    pub b: BelongsTo<M95>,
}

/// A row of `m116`.
#[derive(Model, Debug, Clone)]
#[model(table = "m116")]
pub struct M116 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M25)]
    pub a_id: i64,
    #[field(index, references = M19)]
    pub b_id: i64,
    #[relation(belongs_to = M25, foreign_key = "a_id")]
    pub a: BelongsTo<M25>,
    #[relation(belongs_to = M19, foreign_key = "b_id")]
    pub b: BelongsTo<M19>,
}

/// A row of `m117`.
#[derive(Model, Debug, Clone)]
#[model(table = "m117")]
pub struct M117 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M24)]
    pub a_id: i64,
    #[field(index, references = M38)]
    pub b_id: i64,
    #[relation(belongs_to = M24, foreign_key = "a_id")]
    pub a: BelongsTo<M24>,
    #[relation(belongs_to = M38, foreign_key = "b_id")]
    pub b: BelongsTo<M38>,
}

/// A row of `m118`.
#[derive(Model, Debug, Clone)]
#[model(table = "m118")]
pub struct M118 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M20)]
    pub a_id: i64,
    #[field(index, references = M28)]
    pub b_id: i64,
    #[relation(belongs_to = M20, foreign_key = "a_id")]
    pub a: BelongsTo<M20>,
    #[relation(belongs_to = M28, foreign_key = "b_id")]
    pub b: BelongsTo<M28>,
}

/// A row of `m119`.
#[derive(Model, Debug, Clone)]
#[model(table = "m119")]
pub struct M119 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M85)]
    pub a_id: i64,
    #[field(index, references = M95)]
    pub b_id: i64,
    #[relation(belongs_to = M85, foreign_key = "a_id")]
    pub a: BelongsTo<M85>,
    #[relation(belongs_to = M95, foreign_key = "b_id")]
    pub b: BelongsTo<M95>,
}

/// A row of `m12`.
#[derive(Model, Debug, Clone)]
#[model(table = "m12")]
pub struct M12 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M7)]
    pub parent_id: i64,
    #[field(index, references = M12)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M7, foreign_key = "parent_id")]
    pub parent: BelongsTo<M7>,
    #[relation(belongs_to = M12, foreign_key = "self_id")]
    pub self_: BelongsTo<M12>,
    #[relation(has_many = M12, foreign_key = "self_id")]
    pub m12s_as_self: HasMany<M12>,
    #[relation(has_many = M16, foreign_key = "parent_id")]
    pub m16s: HasMany<M16>,
    #[relation(has_many = M19, foreign_key = "parent_id")]
    pub m19s: HasMany<M19>,
}

/// A row of `m13`.
#[derive(Model, Debug, Clone)]
#[model(table = "m13")]
pub struct M13 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M5)]
    pub parent_id: i64,
    #[relation(belongs_to = M5, foreign_key = "parent_id")]
    pub parent: BelongsTo<M5>,
    #[relation(has_many = M15, foreign_key = "parent_id")]
    pub m15s: HasMany<M15>,
    #[relation(has_many = M56, foreign_key = "parent_id")]
    pub m56s: HasMany<M56>,
    #[relation(has_many = M64, foreign_key = "parent_id")]
    pub m64s: HasMany<M64>,
}

/// A row of `m14`.
#[derive(Model, Debug, Clone)]
#[model(table = "m14")]
pub struct M14 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M0)]
    pub parent_id: i64,
    #[field(unique, references = M10)]
    pub owner_id: i64,
    #[relation(belongs_to = M0, foreign_key = "parent_id")]
    pub parent: BelongsTo<M0>,
    #[relation(belongs_to = M10, foreign_key = "owner_id")]
    pub owner: BelongsTo<M10>,
    #[relation(has_many = M70, foreign_key = "parent_id")]
    pub m70s: HasMany<M70>,
}

/// A row of `m15`.
#[derive(Model, Debug, Clone)]
#[model(table = "m15")]
pub struct M15 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M13)]
    pub parent_id: i64,
    #[field(unique, references = M0)]
    pub owner_id: i64,
    #[relation(belongs_to = M13, foreign_key = "parent_id")]
    pub parent: BelongsTo<M13>,
    #[relation(belongs_to = M0, foreign_key = "owner_id")]
    pub owner: BelongsTo<M0>,
    #[relation(has_one = M23, foreign_key = "owner_id")]
    pub m23: HasOne<M23>,
}

/// A row of `m16`.
#[derive(Model, Debug, Clone)]
#[model(table = "m16")]
pub struct M16 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M12)]
    pub parent_id: i64,
    #[field(index, references = M16)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M12, foreign_key = "parent_id")]
    pub parent: BelongsTo<M12>,
    #[relation(belongs_to = M16, foreign_key = "self_id")]
    pub self_: BelongsTo<M16>,
    #[relation(has_many = M103, foreign_key = "b_id")]
    pub m103s: HasMany<M103>,
    #[relation(has_many = M108, foreign_key = "a_id")]
    pub m108s: HasMany<M108>,
    #[relation(has_many = M16, foreign_key = "self_id")]
    pub m16s_as_self: HasMany<M16>,
    #[relation(has_many = M23, foreign_key = "parent_id")]
    pub m23s: HasMany<M23>,
    #[relation(has_many = M53, foreign_key = "parent_id")]
    pub m53s: HasMany<M53>,
}

/// A row of `m17`.
#[derive(Model, Debug, Clone)]
#[model(table = "m17")]
pub struct M17 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M1)]
    pub parent_id: i64,
    #[field(unique, references = M11)]
    pub owner_id: i64,
    #[relation(belongs_to = M1, foreign_key = "parent_id")]
    pub parent: BelongsTo<M1>,
    #[relation(belongs_to = M11, foreign_key = "owner_id")]
    pub owner: BelongsTo<M11>,
    #[relation(has_many = M25, foreign_key = "parent_id")]
    pub m25s: HasMany<M25>,
    #[relation(has_many = M30, foreign_key = "parent_id")]
    pub m30s: HasMany<M30>,
    #[relation(has_many = M59, foreign_key = "parent_id")]
    pub m59s: HasMany<M59>,
    #[relation(has_many = M90, foreign_key = "parent_id")]
    pub m90s: HasMany<M90>,
}

/// A row of `m18`.
#[derive(Model, Debug, Clone)]
#[model(table = "m18")]
pub struct M18 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M8)]
    pub parent_id: i64,
    #[relation(belongs_to = M8, foreign_key = "parent_id")]
    pub parent: BelongsTo<M8>,
    #[relation(has_many = M107, foreign_key = "a_id")]
    pub m107s: HasMany<M107>,
    #[relation(has_one = M20, foreign_key = "owner_id")]
    pub m20: HasOne<M20>,
    #[relation(has_many = M88, foreign_key = "parent_id")]
    pub m88s: HasMany<M88>,
}

/// A row of `m19`.
#[derive(Model, Debug, Clone)]
#[model(table = "m19")]
pub struct M19 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M12)]
    pub parent_id: i64,
    #[relation(belongs_to = M12, foreign_key = "parent_id")]
    pub parent: BelongsTo<M12>,
    #[relation(has_many = M116, foreign_key = "b_id")]
    pub m116s: HasMany<M116>,
    #[relation(has_many = M32, foreign_key = "parent_id")]
    pub m32s: HasMany<M32>,
}

/// A row of `m2`.
#[derive(Model, Debug, Clone)]
#[model(table = "m2")]
pub struct M2 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M0)]
    pub parent_id: i64,
    #[relation(belongs_to = M0, foreign_key = "parent_id")]
    pub parent: BelongsTo<M0>,
    #[relation(has_many = M27, foreign_key = "parent_id")]
    pub m27s: HasMany<M27>,
    #[relation(has_one = M4, foreign_key = "owner_id")]
    pub m4: HasOne<M4>,
    #[relation(has_many = M5, foreign_key = "parent_id")]
    pub m5s: HasMany<M5>,
    #[relation(has_many = M6, foreign_key = "parent_id")]
    pub m6s: HasMany<M6>,
    #[relation(has_many = M85, foreign_key = "parent_id")]
    pub m85s: HasMany<M85>,
    #[relation(has_many = M9, foreign_key = "parent_id")]
    pub m9s: HasMany<M9>,
}

/// A row of `m20`.
#[derive(Model, Debug, Clone)]
#[model(table = "m20")]
pub struct M20 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M1)]
    pub parent_id: i64,
    #[field(unique, references = M18)]
    pub owner_id: i64,
    #[relation(belongs_to = M1, foreign_key = "parent_id")]
    pub parent: BelongsTo<M1>,
    #[relation(belongs_to = M18, foreign_key = "owner_id")]
    pub owner: BelongsTo<M18>,
    #[relation(has_many = M118, foreign_key = "a_id")]
    pub m118s: HasMany<M118>,
}

/// A row of `m21`.
#[derive(Model, Debug, Clone)]
#[model(table = "m21")]
pub struct M21 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M8)]
    pub parent_id: i64,
    #[relation(belongs_to = M8, foreign_key = "parent_id")]
    pub parent: BelongsTo<M8>,
    #[relation(has_many = M36, foreign_key = "parent_id")]
    pub m36s: HasMany<M36>,
    #[relation(has_many = M38, foreign_key = "parent_id")]
    pub m38s: HasMany<M38>,
    #[relation(has_one = M55, foreign_key = "owner_id")]
    pub m55: HasOne<M55>,
    #[relation(has_one = M56, foreign_key = "owner_id")]
    pub m56: HasOne<M56>,
    #[relation(has_many = M63, foreign_key = "parent_id")]
    pub m63s: HasMany<M63>,
}

/// A row of `m22`.
#[derive(Model, Debug, Clone)]
#[model(table = "m22")]
pub struct M22 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M0)]
    pub parent_id: i64,
    #[field(unique, references = M9)]
    pub owner_id: i64,
    #[relation(belongs_to = M0, foreign_key = "parent_id")]
    pub parent: BelongsTo<M0>,
    #[relation(belongs_to = M9, foreign_key = "owner_id")]
    pub owner: BelongsTo<M9>,
    #[relation(has_many = M103, foreign_key = "a_id")]
    pub m103s: HasMany<M103>,
    #[relation(has_many = M42, foreign_key = "parent_id")]
    pub m42s: HasMany<M42>,
    #[relation(has_many = M48, foreign_key = "parent_id")]
    pub m48s: HasMany<M48>,
}

/// A row of `m23`.
#[derive(Model, Debug, Clone)]
#[model(table = "m23")]
pub struct M23 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M16)]
    pub parent_id: i64,
    #[field(unique, references = M15)]
    pub owner_id: i64,
    #[relation(belongs_to = M16, foreign_key = "parent_id")]
    pub parent: BelongsTo<M16>,
    #[relation(belongs_to = M15, foreign_key = "owner_id")]
    pub owner: BelongsTo<M15>,
    #[relation(has_many = M35, foreign_key = "parent_id")]
    pub m35s: HasMany<M35>,
    #[relation(has_many = M49, foreign_key = "parent_id")]
    pub m49s: HasMany<M49>,
}

/// A row of `m24`.
#[derive(Model, Debug, Clone)]
#[model(table = "m24")]
pub struct M24 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M7)]
    pub parent_id: i64,
    #[relation(belongs_to = M7, foreign_key = "parent_id")]
    pub parent: BelongsTo<M7>,
    #[relation(has_many = M112, foreign_key = "a_id")]
    pub m112s: HasMany<M112>,
    #[relation(has_many = M117, foreign_key = "a_id")]
    pub m117s: HasMany<M117>,
    #[relation(has_many = M29, foreign_key = "parent_id")]
    pub m29s: HasMany<M29>,
}

/// A row of `m25`.
#[derive(Model, Debug, Clone)]
#[model(table = "m25")]
pub struct M25 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M17)]
    pub parent_id: i64,
    #[relation(belongs_to = M17, foreign_key = "parent_id")]
    pub parent: BelongsTo<M17>,
    #[relation(has_many = M116, foreign_key = "a_id")]
    pub m116s: HasMany<M116>,
    #[relation(has_many = M33, foreign_key = "parent_id")]
    pub m33s: HasMany<M33>,
    #[relation(has_many = M44, foreign_key = "parent_id")]
    pub m44s: HasMany<M44>,
    #[relation(has_one = M70, foreign_key = "owner_id")]
    pub m70: HasOne<M70>,
}

/// A row of `m26`.
#[derive(Model, Debug, Clone)]
#[model(table = "m26")]
pub struct M26 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M8)]
    pub parent_id: i64,
    #[field(unique, references = M7)]
    pub owner_id: i64,
    #[relation(belongs_to = M8, foreign_key = "parent_id")]
    pub parent: BelongsTo<M8>,
    #[relation(belongs_to = M7, foreign_key = "owner_id")]
    pub owner: BelongsTo<M7>,
    #[relation(has_many = M114, foreign_key = "b_id")]
    pub m114s: HasMany<M114>,
    #[relation(has_many = M41, foreign_key = "parent_id")]
    pub m41s: HasMany<M41>,
    #[relation(has_many = M54, foreign_key = "parent_id")]
    pub m54s: HasMany<M54>,
    #[relation(has_many = M91, foreign_key = "parent_id")]
    pub m91s: HasMany<M91>,
}

/// A row of `m27`.
#[derive(Model, Debug, Clone)]
#[model(table = "m27")]
pub struct M27 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M2)]
    pub parent_id: i64,
    #[relation(belongs_to = M2, foreign_key = "parent_id")]
    pub parent: BelongsTo<M2>,
    #[relation(has_many = M93, foreign_key = "parent_id")]
    pub m93s: HasMany<M93>,
}

/// A row of `m28`.
#[derive(Model, Debug, Clone)]
#[model(table = "m28")]
pub struct M28 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M10)]
    pub parent_id: i64,
    #[field(unique, references = M3)]
    pub owner_id: i64,
    #[relation(belongs_to = M10, foreign_key = "parent_id")]
    pub parent: BelongsTo<M10>,
    #[relation(belongs_to = M3, foreign_key = "owner_id")]
    pub owner: BelongsTo<M3>,
    #[relation(has_many = M118, foreign_key = "b_id")]
    pub m118s: HasMany<M118>,
}

/// A row of `m29`.
#[derive(Model, Debug, Clone)]
#[model(table = "m29")]
pub struct M29 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M24)]
    pub parent_id: i64,
    #[field(index, references = M29)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M24, foreign_key = "parent_id")]
    pub parent: BelongsTo<M24>,
    #[relation(belongs_to = M29, foreign_key = "self_id")]
    pub self_: BelongsTo<M29>,
    #[relation(has_many = M100, foreign_key = "a_id")]
    pub m100s: HasMany<M100>,
    #[relation(has_many = M29, foreign_key = "self_id")]
    pub m29s_as_self: HasMany<M29>,
}

/// A row of `m3`.
#[derive(Model, Debug, Clone)]
#[model(table = "m3")]
pub struct M3 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M0)]
    pub parent_id: i64,
    #[field(unique, references = M0)]
    pub owner_id: i64,
    #[relation(belongs_to = M0, foreign_key = "parent_id")]
    pub parent: BelongsTo<M0>,
    #[relation(belongs_to = M0, foreign_key = "owner_id")]
    pub owner: BelongsTo<M0>,
    #[relation(has_one = M28, foreign_key = "owner_id")]
    pub m28: HasOne<M28>,
    #[relation(has_many = M7, foreign_key = "parent_id")]
    pub m7s: HasMany<M7>,
    #[relation(has_many = M8, foreign_key = "parent_id")]
    pub m8s: HasMany<M8>,
}

/// A row of `m30`.
#[derive(Model, Debug, Clone)]
#[model(table = "m30")]
pub struct M30 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M17)]
    pub parent_id: i64,
    #[field(index, references = M30)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M17, foreign_key = "parent_id")]
    pub parent: BelongsTo<M17>,
    #[relation(belongs_to = M30, foreign_key = "self_id")]
    pub self_: BelongsTo<M30>,
    #[relation(has_many = M30, foreign_key = "self_id")]
    pub m30s_as_self: HasMany<M30>,
    #[relation(has_many = M50, foreign_key = "parent_id")]
    pub m50s: HasMany<M50>,
    #[relation(has_many = M58, foreign_key = "parent_id")]
    pub m58s: HasMany<M58>,
    #[relation(has_many = M68, foreign_key = "parent_id")]
    pub m68s: HasMany<M68>,
    #[relation(has_one = M69, foreign_key = "owner_id")]
    pub m69: HasOne<M69>,
}

/// A row of `m31`.
#[derive(Model, Debug, Clone)]
#[model(table = "m31")]
pub struct M31 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M8)]
    pub parent_id: i64,
    #[field(index, references = M31)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M8, foreign_key = "parent_id")]
    pub parent: BelongsTo<M8>,
    #[relation(belongs_to = M31, foreign_key = "self_id")]
    pub self_: BelongsTo<M31>,
    #[relation(has_many = M31, foreign_key = "self_id")]
    pub m31s_as_self: HasMany<M31>,
    #[relation(has_many = M71, foreign_key = "parent_id")]
    pub m71s: HasMany<M71>,
}

/// A row of `m32`.
#[derive(Model, Debug, Clone)]
#[model(table = "m32")]
pub struct M32 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M19)]
    pub parent_id: i64,
    #[relation(belongs_to = M19, foreign_key = "parent_id")]
    pub parent: BelongsTo<M19>,
    #[relation(has_many = M40, foreign_key = "parent_id")]
    pub m40s: HasMany<M40>,
}

/// A row of `m33`.
#[derive(Model, Debug, Clone)]
#[model(table = "m33")]
pub struct M33 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M25)]
    pub parent_id: i64,
    #[relation(belongs_to = M25, foreign_key = "parent_id")]
    pub parent: BelongsTo<M25>,
}

/// A row of `m34`.
#[derive(Model, Debug, Clone)]
#[model(table = "m34")]
pub struct M34 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M10)]
    pub parent_id: i64,
    #[field(index, references = M34)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M10, foreign_key = "parent_id")]
    pub parent: BelongsTo<M10>,
    #[relation(belongs_to = M34, foreign_key = "self_id")]
    pub self_: BelongsTo<M34>,
    #[relation(has_many = M34, foreign_key = "self_id")]
    pub m34s_as_self: HasMany<M34>,
    #[relation(has_many = M45, foreign_key = "parent_id")]
    pub m45s: HasMany<M45>,
}

/// A row of `m35`.
#[derive(Model, Debug, Clone)]
#[model(table = "m35")]
pub struct M35 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M23)]
    pub parent_id: i64,
    #[field(index, references = M35)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M23, foreign_key = "parent_id")]
    pub parent: BelongsTo<M23>,
    #[relation(belongs_to = M35, foreign_key = "self_id")]
    pub self_: BelongsTo<M35>,
    #[relation(has_many = M35, foreign_key = "self_id")]
    pub m35s_as_self: HasMany<M35>,
}

/// A row of `m36`.
#[derive(Model, Debug, Clone)]
#[model(table = "m36")]
pub struct M36 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M21)]
    pub parent_id: i64,
    #[relation(belongs_to = M21, foreign_key = "parent_id")]
    pub parent: BelongsTo<M21>,
    #[relation(has_many = M43, foreign_key = "parent_id")]
    pub m43s: HasMany<M43>,
    #[relation(has_many = M81, foreign_key = "parent_id")]
    pub m81s: HasMany<M81>,
    #[relation(has_one = M86, foreign_key = "owner_id")]
    pub m86: HasOne<M86>,
}

/// A row of `m37`.
#[derive(Model, Debug, Clone)]
#[model(table = "m37")]
pub struct M37 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M10)]
    pub parent_id: i64,
    #[field(index, references = M37)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M10, foreign_key = "parent_id")]
    pub parent: BelongsTo<M10>,
    #[relation(belongs_to = M37, foreign_key = "self_id")]
    pub self_: BelongsTo<M37>,
    #[relation(has_many = M102, foreign_key = "a_id")]
    pub m102s: HasMany<M102>,
    #[relation(has_many = M109, foreign_key = "a_id")]
    pub m109s: HasMany<M109>,
    #[relation(has_many = M37, foreign_key = "self_id")]
    pub m37s_as_self: HasMany<M37>,
    #[relation(has_many = M47, foreign_key = "parent_id")]
    pub m47s: HasMany<M47>,
    #[relation(has_many = M67, foreign_key = "parent_id")]
    pub m67s: HasMany<M67>,
    #[relation(has_many = M74, foreign_key = "parent_id")]
    pub m74s: HasMany<M74>,
    #[relation(has_many = M95, foreign_key = "parent_id")]
    pub m95s: HasMany<M95>,
}

/// A row of `m38`.
#[derive(Model, Debug, Clone)]
#[model(table = "m38")]
pub struct M38 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M21)]
    pub parent_id: i64,
    #[field(index, references = M38)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M21, foreign_key = "parent_id")]
    pub parent: BelongsTo<M21>,
    #[relation(belongs_to = M38, foreign_key = "self_id")]
    pub self_: BelongsTo<M38>,
    #[relation(has_many = M111, foreign_key = "a_id")]
    pub m111s: HasMany<M111>,
    #[relation(has_many = M117, foreign_key = "b_id")]
    pub m117s: HasMany<M117>,
    #[relation(has_many = M38, foreign_key = "self_id")]
    pub m38s_as_self: HasMany<M38>,
    #[relation(has_many = M61, foreign_key = "parent_id")]
    pub m61s: HasMany<M61>,
}

/// A row of `m39`.
#[derive(Model, Debug, Clone)]
#[model(table = "m39")]
pub struct M39 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M10)]
    pub parent_id: i64,
    #[field(unique, references = M0)]
    pub owner_id: i64,
    #[relation(belongs_to = M10, foreign_key = "parent_id")]
    pub parent: BelongsTo<M10>,
    #[relation(belongs_to = M0, foreign_key = "owner_id")]
    pub owner: BelongsTo<M0>,
    #[relation(has_many = M112, foreign_key = "b_id")]
    pub m112s: HasMany<M112>,
    #[relation(has_one = M67, foreign_key = "owner_id")]
    pub m67: HasOne<M67>,
    #[relation(has_many = M72, foreign_key = "parent_id")]
    pub m72s: HasMany<M72>,
    #[relation(has_one = M89, foreign_key = "owner_id")]
    pub m89: HasOne<M89>,
}

/// A row of `m4`.
#[derive(Model, Debug, Clone)]
#[model(table = "m4")]
pub struct M4 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M1)]
    pub parent_id: i64,
    #[field(unique, references = M2)]
    pub owner_id: i64,
    #[relation(belongs_to = M1, foreign_key = "parent_id")]
    pub parent: BelongsTo<M1>,
    #[relation(belongs_to = M2, foreign_key = "owner_id")]
    pub owner: BelongsTo<M2>,
    #[relation(has_many = M10, foreign_key = "parent_id")]
    pub m10s: HasMany<M10>,
}

/// A row of `m40`.
#[derive(Model, Debug, Clone)]
#[model(table = "m40")]
pub struct M40 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M32)]
    pub parent_id: i64,
    #[relation(belongs_to = M32, foreign_key = "parent_id")]
    pub parent: BelongsTo<M32>,
}

/// A row of `m41`.
#[derive(Model, Debug, Clone)]
#[model(table = "m41")]
pub struct M41 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M26)]
    pub parent_id: i64,
    #[relation(belongs_to = M26, foreign_key = "parent_id")]
    pub parent: BelongsTo<M26>,
}

/// A row of `m42`.
#[derive(Model, Debug, Clone)]
#[model(table = "m42")]
pub struct M42 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M22)]
    pub parent_id: i64,
    #[field(unique, references = M1)]
    pub owner_id: i64,
    #[relation(belongs_to = M22, foreign_key = "parent_id")]
    pub parent: BelongsTo<M22>,
    #[relation(belongs_to = M1, foreign_key = "owner_id")]
    pub owner: BelongsTo<M1>,
    #[relation(has_many = M55, foreign_key = "parent_id")]
    pub m55s: HasMany<M55>,
    #[relation(has_many = M60, foreign_key = "parent_id")]
    pub m60s: HasMany<M60>,
}

/// A row of `m43`.
#[derive(Model, Debug, Clone)]
#[model(table = "m43")]
pub struct M43 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M36)]
    pub parent_id: i64,
    #[relation(belongs_to = M36, foreign_key = "parent_id")]
    pub parent: BelongsTo<M36>,
    #[relation(has_many = M101, foreign_key = "b_id")]
    pub m101s: HasMany<M101>,
    #[relation(has_one = M48, foreign_key = "owner_id")]
    pub m48: HasOne<M48>,
    #[relation(has_many = M51, foreign_key = "parent_id")]
    pub m51s: HasMany<M51>,
}

/// A row of `m44`.
#[derive(Model, Debug, Clone)]
#[model(table = "m44")]
pub struct M44 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M25)]
    pub parent_id: i64,
    #[field(index, references = M44)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M25, foreign_key = "parent_id")]
    pub parent: BelongsTo<M25>,
    #[relation(belongs_to = M44, foreign_key = "self_id")]
    pub self_: BelongsTo<M44>,
    #[relation(has_many = M44, foreign_key = "self_id")]
    pub m44s_as_self: HasMany<M44>,
    #[relation(has_many = M62, foreign_key = "parent_id")]
    pub m62s: HasMany<M62>,
}

/// A row of `m45`.
#[derive(Model, Debug, Clone)]
#[model(table = "m45")]
pub struct M45 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M34)]
    pub parent_id: i64,
    #[relation(belongs_to = M34, foreign_key = "parent_id")]
    pub parent: BelongsTo<M34>,
    #[relation(has_many = M78, foreign_key = "parent_id")]
    pub m78s: HasMany<M78>,
    #[relation(has_many = M96, foreign_key = "parent_id")]
    pub m96s: HasMany<M96>,
}

/// A row of `m46`.
#[derive(Model, Debug, Clone)]
#[model(table = "m46")]
pub struct M46 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M0)]
    pub parent_id: i64,
    #[field(index, references = M46)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M0, foreign_key = "parent_id")]
    pub parent: BelongsTo<M0>,
    #[relation(belongs_to = M46, foreign_key = "self_id")]
    pub self_: BelongsTo<M46>,
    #[relation(has_many = M46, foreign_key = "self_id")]
    pub m46s_as_self: HasMany<M46>,
}

/// A row of `m47`.
#[derive(Model, Debug, Clone)]
#[model(table = "m47")]
pub struct M47 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M37)]
    pub parent_id: i64,
    #[relation(belongs_to = M37, foreign_key = "parent_id")]
    pub parent: BelongsTo<M37>,
}

/// A row of `m48`.
#[derive(Model, Debug, Clone)]
#[model(table = "m48")]
pub struct M48 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M22)]
    pub parent_id: i64,
    #[field(unique, references = M43)]
    pub owner_id: i64,
    #[relation(belongs_to = M22, foreign_key = "parent_id")]
    pub parent: BelongsTo<M22>,
    #[relation(belongs_to = M43, foreign_key = "owner_id")]
    pub owner: BelongsTo<M43>,
}

/// A row of `m49`.
#[derive(Model, Debug, Clone)]
#[model(table = "m49")]
pub struct M49 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M23)]
    pub parent_id: i64,
    #[relation(belongs_to = M23, foreign_key = "parent_id")]
    pub parent: BelongsTo<M23>,
}

/// A row of `m5`.
#[derive(Model, Debug, Clone)]
#[model(table = "m5")]
pub struct M5 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M2)]
    pub parent_id: i64,
    #[relation(belongs_to = M2, foreign_key = "parent_id")]
    pub parent: BelongsTo<M2>,
    #[relation(has_many = M13, foreign_key = "parent_id")]
    pub m13s: HasMany<M13>,
}

/// A row of `m50`.
#[derive(Model, Debug, Clone)]
#[model(table = "m50")]
pub struct M50 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M30)]
    pub parent_id: i64,
    #[relation(belongs_to = M30, foreign_key = "parent_id")]
    pub parent: BelongsTo<M30>,
    #[relation(has_one = M52, foreign_key = "owner_id")]
    pub m52: HasOne<M52>,
    #[relation(has_one = M58, foreign_key = "owner_id")]
    pub m58: HasOne<M58>,
}

/// A row of `m51`.
#[derive(Model, Debug, Clone)]
#[model(table = "m51")]
pub struct M51 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M43)]
    pub parent_id: i64,
    #[relation(belongs_to = M43, foreign_key = "parent_id")]
    pub parent: BelongsTo<M43>,
}

/// A row of `m52`.
#[derive(Model, Debug, Clone)]
#[model(table = "m52")]
pub struct M52 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M7)]
    pub parent_id: i64,
    #[field(unique, references = M50)]
    pub owner_id: i64,
    #[relation(belongs_to = M7, foreign_key = "parent_id")]
    pub parent: BelongsTo<M7>,
    #[relation(belongs_to = M50, foreign_key = "owner_id")]
    pub owner: BelongsTo<M50>,
    #[relation(has_many = M82, foreign_key = "parent_id")]
    pub m82s: HasMany<M82>,
}

/// A row of `m53`.
#[derive(Model, Debug, Clone)]
#[model(table = "m53")]
pub struct M53 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M16)]
    pub parent_id: i64,
    #[relation(belongs_to = M16, foreign_key = "parent_id")]
    pub parent: BelongsTo<M16>,
    #[relation(has_many = M114, foreign_key = "a_id")]
    pub m114s: HasMany<M114>,
    #[relation(has_many = M98, foreign_key = "parent_id")]
    pub m98s: HasMany<M98>,
}

/// A row of `m54`.
#[derive(Model, Debug, Clone)]
#[model(table = "m54")]
pub struct M54 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M26)]
    pub parent_id: i64,
    #[relation(belongs_to = M26, foreign_key = "parent_id")]
    pub parent: BelongsTo<M26>,
}

/// A row of `m55`.
#[derive(Model, Debug, Clone)]
#[model(table = "m55")]
pub struct M55 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M42)]
    pub parent_id: i64,
    #[field(unique, references = M21)]
    pub owner_id: i64,
    #[relation(belongs_to = M42, foreign_key = "parent_id")]
    pub parent: BelongsTo<M42>,
    #[relation(belongs_to = M21, foreign_key = "owner_id")]
    pub owner: BelongsTo<M21>,
    #[relation(has_many = M66, foreign_key = "parent_id")]
    pub m66s: HasMany<M66>,
}

/// A row of `m56`.
#[derive(Model, Debug, Clone)]
#[model(table = "m56")]
pub struct M56 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M13)]
    pub parent_id: i64,
    #[field(unique, references = M21)]
    pub owner_id: i64,
    #[relation(belongs_to = M13, foreign_key = "parent_id")]
    pub parent: BelongsTo<M13>,
    #[relation(belongs_to = M21, foreign_key = "owner_id")]
    pub owner: BelongsTo<M21>,
    #[relation(has_many = M57, foreign_key = "parent_id")]
    pub m57s: HasMany<M57>,
    #[relation(has_many = M97, foreign_key = "parent_id")]
    pub m97s: HasMany<M97>,
}

/// A row of `m57`.
#[derive(Model, Debug, Clone)]
#[model(table = "m57")]
pub struct M57 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M56)]
    pub parent_id: i64,
    #[field(index, references = M57)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M56, foreign_key = "parent_id")]
    pub parent: BelongsTo<M56>,
    #[relation(belongs_to = M57, foreign_key = "self_id")]
    pub self_: BelongsTo<M57>,
    #[relation(has_many = M57, foreign_key = "self_id")]
    pub m57s_as_self: HasMany<M57>,
    #[relation(has_one = M92, foreign_key = "owner_id")]
    pub m92: HasOne<M92>,
}

/// A row of `m58`.
#[derive(Model, Debug, Clone)]
#[model(table = "m58")]
pub struct M58 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M30)]
    pub parent_id: i64,
    #[field(unique, references = M50)]
    pub owner_id: i64,
    #[relation(belongs_to = M30, foreign_key = "parent_id")]
    pub parent: BelongsTo<M30>,
    #[relation(belongs_to = M50, foreign_key = "owner_id")]
    pub owner: BelongsTo<M50>,
    #[relation(has_many = M111, foreign_key = "b_id")]
    pub m111s: HasMany<M111>,
    #[relation(has_many = M115, foreign_key = "a_id")]
    pub m115s: HasMany<M115>,
}

/// A row of `m59`.
#[derive(Model, Debug, Clone)]
#[model(table = "m59")]
pub struct M59 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M17)]
    pub parent_id: i64,
    #[relation(belongs_to = M17, foreign_key = "parent_id")]
    pub parent: BelongsTo<M17>,
    #[relation(has_many = M69, foreign_key = "parent_id")]
    pub m69s: HasMany<M69>,
}

/// A row of `m6`.
#[derive(Model, Debug, Clone)]
#[model(table = "m6")]
pub struct M6 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M2)]
    pub parent_id: i64,
    #[relation(belongs_to = M2, foreign_key = "parent_id")]
    pub parent: BelongsTo<M2>,
}

/// A row of `m60`.
#[derive(Model, Debug, Clone)]
#[model(table = "m60")]
pub struct M60 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M42)]
    pub parent_id: i64,
    #[relation(belongs_to = M42, foreign_key = "parent_id")]
    pub parent: BelongsTo<M42>,
    #[relation(has_many = M106, foreign_key = "a_id")]
    pub m106s: HasMany<M106>,
}

/// A row of `m61`.
#[derive(Model, Debug, Clone)]
#[model(table = "m61")]
pub struct M61 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M38)]
    pub parent_id: i64,
    #[relation(belongs_to = M38, foreign_key = "parent_id")]
    pub parent: BelongsTo<M38>,
    #[relation(has_many = M100, foreign_key = "b_id")]
    pub m100s: HasMany<M100>,
    #[relation(has_one = M64, foreign_key = "owner_id")]
    pub m64: HasOne<M64>,
    #[relation(has_many = M73, foreign_key = "parent_id")]
    pub m73s: HasMany<M73>,
    #[relation(has_many = M80, foreign_key = "parent_id")]
    pub m80s: HasMany<M80>,
}

/// A row of `m62`.
#[derive(Model, Debug, Clone)]
#[model(table = "m62")]
pub struct M62 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M44)]
    pub parent_id: i64,
    #[relation(belongs_to = M44, foreign_key = "parent_id")]
    pub parent: BelongsTo<M44>,
    #[relation(has_many = M65, foreign_key = "parent_id")]
    pub m65s: HasMany<M65>,
    #[relation(has_many = M86, foreign_key = "parent_id")]
    pub m86s: HasMany<M86>,
}

/// A row of `m63`.
#[derive(Model, Debug, Clone)]
#[model(table = "m63")]
pub struct M63 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M21)]
    pub parent_id: i64,
    #[field(index, references = M63)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M21, foreign_key = "parent_id")]
    pub parent: BelongsTo<M21>,
    #[relation(belongs_to = M63, foreign_key = "self_id")]
    pub self_: BelongsTo<M63>,
    #[relation(has_many = M63, foreign_key = "self_id")]
    pub m63s_as_self: HasMany<M63>,
    #[relation(has_many = M76, foreign_key = "parent_id")]
    pub m76s: HasMany<M76>,
}

/// A row of `m64`.
#[derive(Model, Debug, Clone)]
#[model(table = "m64")]
pub struct M64 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M13)]
    pub parent_id: i64,
    #[field(unique, references = M61)]
    pub owner_id: i64,
    #[relation(belongs_to = M13, foreign_key = "parent_id")]
    pub parent: BelongsTo<M13>,
    #[relation(belongs_to = M61, foreign_key = "owner_id")]
    pub owner: BelongsTo<M61>,
    #[relation(has_many = M75, foreign_key = "parent_id")]
    pub m75s: HasMany<M75>,
}

/// A row of `m65`.
#[derive(Model, Debug, Clone)]
#[model(table = "m65")]
pub struct M65 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M62)]
    pub parent_id: i64,
    #[field(unique, references = M0)]
    pub owner_id: i64,
    #[relation(belongs_to = M62, foreign_key = "parent_id")]
    pub parent: BelongsTo<M62>,
    #[relation(belongs_to = M0, foreign_key = "owner_id")]
    pub owner: BelongsTo<M0>,
    #[relation(has_many = M77, foreign_key = "parent_id")]
    pub m77s: HasMany<M77>,
}

/// A row of `m66`.
#[derive(Model, Debug, Clone)]
#[model(table = "m66")]
pub struct M66 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M55)]
    pub parent_id: i64,
    #[field(index, references = M66)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M55, foreign_key = "parent_id")]
    pub parent: BelongsTo<M55>,
    #[relation(belongs_to = M66, foreign_key = "self_id")]
    pub self_: BelongsTo<M66>,
    #[relation(has_many = M66, foreign_key = "self_id")]
    pub m66s_as_self: HasMany<M66>,
}

/// A row of `m67`.
#[derive(Model, Debug, Clone)]
#[model(table = "m67")]
pub struct M67 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M37)]
    pub parent_id: i64,
    #[field(unique, references = M39)]
    pub owner_id: i64,
    #[relation(belongs_to = M37, foreign_key = "parent_id")]
    pub parent: BelongsTo<M37>,
    #[relation(belongs_to = M39, foreign_key = "owner_id")]
    pub owner: BelongsTo<M39>,
}

/// A row of `m68`.
#[derive(Model, Debug, Clone)]
#[model(table = "m68")]
pub struct M68 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M30)]
    pub parent_id: i64,
    #[field(index, references = M68)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M30, foreign_key = "parent_id")]
    pub parent: BelongsTo<M30>,
    #[relation(belongs_to = M68, foreign_key = "self_id")]
    pub self_: BelongsTo<M68>,
    #[relation(has_many = M104, foreign_key = "a_id")]
    pub m104s: HasMany<M104>,
    #[relation(has_many = M110, foreign_key = "b_id")]
    pub m110s: HasMany<M110>,
    #[relation(has_many = M68, foreign_key = "self_id")]
    pub m68s_as_self: HasMany<M68>,
}

/// A row of `m69`.
#[derive(Model, Debug, Clone)]
#[model(table = "m69")]
pub struct M69 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M59)]
    pub parent_id: i64,
    #[field(unique, references = M30)]
    pub owner_id: i64,
    #[relation(belongs_to = M59, foreign_key = "parent_id")]
    pub parent: BelongsTo<M59>,
    #[relation(belongs_to = M30, foreign_key = "owner_id")]
    pub owner: BelongsTo<M30>,
    #[relation(has_many = M113, foreign_key = "a_id")]
    pub m113s: HasMany<M113>,
    #[relation(has_many = M92, foreign_key = "parent_id")]
    pub m92s: HasMany<M92>,
}

/// A row of `m7`.
#[derive(Model, Debug, Clone)]
#[model(table = "m7")]
pub struct M7 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M3)]
    pub parent_id: i64,
    #[relation(belongs_to = M3, foreign_key = "parent_id")]
    pub parent: BelongsTo<M3>,
    #[relation(has_many = M12, foreign_key = "parent_id")]
    pub m12s: HasMany<M12>,
    #[relation(has_many = M24, foreign_key = "parent_id")]
    pub m24s: HasMany<M24>,
    #[relation(has_one = M26, foreign_key = "owner_id")]
    pub m26: HasOne<M26>,
    #[relation(has_many = M52, foreign_key = "parent_id")]
    pub m52s: HasMany<M52>,
}

/// A row of `m70`.
#[derive(Model, Debug, Clone)]
#[model(table = "m70")]
pub struct M70 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M14)]
    pub parent_id: i64,
    #[field(unique, references = M25)]
    pub owner_id: i64,
    #[relation(belongs_to = M14, foreign_key = "parent_id")]
    pub parent: BelongsTo<M14>,
    #[relation(belongs_to = M25, foreign_key = "owner_id")]
    pub owner: BelongsTo<M25>,
}

/// A row of `m71`.
#[derive(Model, Debug, Clone)]
#[model(table = "m71")]
pub struct M71 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M31)]
    pub parent_id: i64,
    #[relation(belongs_to = M31, foreign_key = "parent_id")]
    pub parent: BelongsTo<M31>,
    #[relation(has_many = M110, foreign_key = "a_id")]
    pub m110s: HasMany<M110>,
}

/// A row of `m72`.
#[derive(Model, Debug, Clone)]
#[model(table = "m72")]
pub struct M72 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M39)]
    pub parent_id: i64,
    #[field(index, references = M72)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M39, foreign_key = "parent_id")]
    pub parent: BelongsTo<M39>,
    #[relation(belongs_to = M72, foreign_key = "self_id")]
    pub self_: BelongsTo<M72>,
    #[relation(has_many = M72, foreign_key = "self_id")]
    pub m72s_as_self: HasMany<M72>,
}

/// A row of `m73`.
#[derive(Model, Debug, Clone)]
#[model(table = "m73")]
pub struct M73 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M61)]
    pub parent_id: i64,
    #[field(index, references = M73)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M61, foreign_key = "parent_id")]
    pub parent: BelongsTo<M61>,
    #[relation(belongs_to = M73, foreign_key = "self_id")]
    pub self_: BelongsTo<M73>,
    #[relation(has_many = M73, foreign_key = "self_id")]
    pub m73s_as_self: HasMany<M73>,
}

/// A row of `m74`.
#[derive(Model, Debug, Clone)]
#[model(table = "m74")]
pub struct M74 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M37)]
    pub parent_id: i64,
    #[field(index, references = M74)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M37, foreign_key = "parent_id")]
    pub parent: BelongsTo<M37>,
    #[relation(belongs_to = M74, foreign_key = "self_id")]
    pub self_: BelongsTo<M74>,
    #[relation(has_many = M105, foreign_key = "b_id")]
    pub m105s: HasMany<M105>,
    #[relation(has_many = M74, foreign_key = "self_id")]
    pub m74s_as_self: HasMany<M74>,
    #[relation(has_many = M79, foreign_key = "parent_id")]
    pub m79s: HasMany<M79>,
}

/// A row of `m75`.
#[derive(Model, Debug, Clone)]
#[model(table = "m75")]
pub struct M75 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M64)]
    pub parent_id: i64,
    #[relation(belongs_to = M64, foreign_key = "parent_id")]
    pub parent: BelongsTo<M64>,
}

/// A row of `m76`.
#[derive(Model, Debug, Clone)]
#[model(table = "m76")]
pub struct M76 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M63)]
    pub parent_id: i64,
    #[relation(belongs_to = M63, foreign_key = "parent_id")]
    pub parent: BelongsTo<M63>,
    #[relation(has_many = M83, foreign_key = "parent_id")]
    pub m83s: HasMany<M83>,
}

/// A row of `m77`.
#[derive(Model, Debug, Clone)]
#[model(table = "m77")]
pub struct M77 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M65)]
    pub parent_id: i64,
    #[relation(belongs_to = M65, foreign_key = "parent_id")]
    pub parent: BelongsTo<M65>,
}

/// A row of `m78`.
#[derive(Model, Debug, Clone)]
#[model(table = "m78")]
pub struct M78 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M45)]
    pub parent_id: i64,
    #[relation(belongs_to = M45, foreign_key = "parent_id")]
    pub parent: BelongsTo<M45>,
}

/// A row of `m79`.
#[derive(Model, Debug, Clone)]
#[model(table = "m79")]
pub struct M79 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M74)]
    pub parent_id: i64,
    #[relation(belongs_to = M74, foreign_key = "parent_id")]
    pub parent: BelongsTo<M74>,
    #[relation(has_many = M109, foreign_key = "b_id")]
    pub m109s: HasMany<M109>,
    #[relation(has_many = M113, foreign_key = "b_id")]
    pub m113s: HasMany<M113>,
}

/// A row of `m8`.
#[derive(Model, Debug, Clone)]
#[model(table = "m8")]
pub struct M8 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M3)]
    pub parent_id: i64,
    #[field(index, references = M8)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M3, foreign_key = "parent_id")]
    pub parent: BelongsTo<M3>,
    #[relation(belongs_to = M8, foreign_key = "self_id")]
    pub self_: BelongsTo<M8>,
    #[relation(has_many = M18, foreign_key = "parent_id")]
    pub m18s: HasMany<M18>,
    #[relation(has_many = M21, foreign_key = "parent_id")]
    pub m21s: HasMany<M21>,
    #[relation(has_many = M26, foreign_key = "parent_id")]
    pub m26s: HasMany<M26>,
    #[relation(has_many = M31, foreign_key = "parent_id")]
    pub m31s: HasMany<M31>,
    #[relation(has_many = M8, foreign_key = "self_id")]
    pub m8s_as_self: HasMany<M8>,
}

/// A row of `m80`.
#[derive(Model, Debug, Clone)]
#[model(table = "m80")]
pub struct M80 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M61)]
    pub parent_id: i64,
    #[field(index, references = M80)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M61, foreign_key = "parent_id")]
    pub parent: BelongsTo<M61>,
    #[relation(belongs_to = M80, foreign_key = "self_id")]
    pub self_: BelongsTo<M80>,
    #[relation(has_many = M107, foreign_key = "b_id")]
    pub m107s: HasMany<M107>,
    #[relation(has_many = M80, foreign_key = "self_id")]
    pub m80s_as_self: HasMany<M80>,
}

/// A row of `m81`.
#[derive(Model, Debug, Clone)]
#[model(table = "m81")]
pub struct M81 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M36)]
    pub parent_id: i64,
    #[field(index, references = M81)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M36, foreign_key = "parent_id")]
    pub parent: BelongsTo<M36>,
    #[relation(belongs_to = M81, foreign_key = "self_id")]
    pub self_: BelongsTo<M81>,
    #[relation(has_many = M81, foreign_key = "self_id")]
    pub m81s_as_self: HasMany<M81>,
    #[relation(has_many = M89, foreign_key = "parent_id")]
    pub m89s: HasMany<M89>,
}

/// A row of `m82`.
#[derive(Model, Debug, Clone)]
#[model(table = "m82")]
pub struct M82 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M52)]
    pub parent_id: i64,
    #[field(index, references = M82)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M52, foreign_key = "parent_id")]
    pub parent: BelongsTo<M52>,
    #[relation(belongs_to = M82, foreign_key = "self_id")]
    pub self_: BelongsTo<M82>,
    #[relation(has_many = M82, foreign_key = "self_id")]
    pub m82s_as_self: HasMany<M82>,
}

/// A row of `m83`.
#[derive(Model, Debug, Clone)]
#[model(table = "m83")]
pub struct M83 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M76)]
    pub parent_id: i64,
    #[field(index, references = M83)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M76, foreign_key = "parent_id")]
    pub parent: BelongsTo<M76>,
    #[relation(belongs_to = M83, foreign_key = "self_id")]
    pub self_: BelongsTo<M83>,
    #[relation(has_many = M83, foreign_key = "self_id")]
    pub m83s_as_self: HasMany<M83>,
    #[relation(has_one = M94, foreign_key = "owner_id")]
    pub m94: HasOne<M94>,
}

/// A row of `m84`.
#[derive(Model, Debug, Clone)]
#[model(table = "m84")]
pub struct M84 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M0)]
    pub parent_id: i64,
    #[relation(belongs_to = M0, foreign_key = "parent_id")]
    pub parent: BelongsTo<M0>,
    #[relation(has_many = M104, foreign_key = "b_id")]
    pub m104s: HasMany<M104>,
}

/// A row of `m85`.
#[derive(Model, Debug, Clone)]
#[model(table = "m85")]
pub struct M85 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M2)]
    pub parent_id: i64,
    #[relation(belongs_to = M2, foreign_key = "parent_id")]
    pub parent: BelongsTo<M2>,
    #[relation(has_many = M101, foreign_key = "a_id")]
    pub m101s: HasMany<M101>,
    #[relation(has_many = M119, foreign_key = "a_id")]
    pub m119s: HasMany<M119>,
    #[relation(has_many = M87, foreign_key = "parent_id")]
    pub m87s: HasMany<M87>,
}

/// A row of `m86`.
#[derive(Model, Debug, Clone)]
#[model(table = "m86")]
pub struct M86 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M62)]
    pub parent_id: i64,
    #[field(unique, references = M36)]
    pub owner_id: i64,
    #[relation(belongs_to = M62, foreign_key = "parent_id")]
    pub parent: BelongsTo<M62>,
    #[relation(belongs_to = M36, foreign_key = "owner_id")]
    pub owner: BelongsTo<M36>,
    #[relation(has_many = M106, foreign_key = "b_id")]
    pub m106s: HasMany<M106>,
}

/// A row of `m87`.
#[derive(Model, Debug, Clone)]
#[model(table = "m87")]
pub struct M87 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M85)]
    pub parent_id: i64,
    #[field(index, references = M87)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M85, foreign_key = "parent_id")]
    pub parent: BelongsTo<M85>,
    #[relation(belongs_to = M87, foreign_key = "self_id")]
    pub self_: BelongsTo<M87>,
    #[relation(has_many = M87, foreign_key = "self_id")]
    pub m87s_as_self: HasMany<M87>,
}

/// A row of `m88`.
#[derive(Model, Debug, Clone)]
#[model(table = "m88")]
pub struct M88 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M18)]
    pub parent_id: i64,
    #[field(index, references = M88)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M18, foreign_key = "parent_id")]
    pub parent: BelongsTo<M18>,
    #[relation(belongs_to = M88, foreign_key = "self_id")]
    pub self_: BelongsTo<M88>,
    #[relation(has_many = M88, foreign_key = "self_id")]
    pub m88s_as_self: HasMany<M88>,
}

/// A row of `m89`.
#[derive(Model, Debug, Clone)]
#[model(table = "m89")]
pub struct M89 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M81)]
    pub parent_id: i64,
    #[field(unique, references = M39)]
    pub owner_id: i64,
    #[relation(belongs_to = M81, foreign_key = "parent_id")]
    pub parent: BelongsTo<M81>,
    #[relation(belongs_to = M39, foreign_key = "owner_id")]
    pub owner: BelongsTo<M39>,
}

/// A row of `m9`.
#[derive(Model, Debug, Clone)]
#[model(table = "m9")]
pub struct M9 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M2)]
    pub parent_id: i64,
    #[field(unique, references = M1)]
    pub owner_id: i64,
    #[relation(belongs_to = M2, foreign_key = "parent_id")]
    pub parent: BelongsTo<M2>,
    #[relation(belongs_to = M1, foreign_key = "owner_id")]
    pub owner: BelongsTo<M1>,
    #[relation(has_one = M22, foreign_key = "owner_id")]
    pub m22: HasOne<M22>,
}

/// A row of `m90`.
#[derive(Model, Debug, Clone)]
#[model(table = "m90")]
pub struct M90 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M17)]
    pub parent_id: i64,
    #[relation(belongs_to = M17, foreign_key = "parent_id")]
    pub parent: BelongsTo<M17>,
}

/// A row of `m91`.
#[derive(Model, Debug, Clone)]
#[model(table = "m91")]
pub struct M91 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M26)]
    pub parent_id: i64,
    #[relation(belongs_to = M26, foreign_key = "parent_id")]
    pub parent: BelongsTo<M26>,
    #[relation(has_many = M94, foreign_key = "parent_id")]
    pub m94s: HasMany<M94>,
}

/// A row of `m92`.
#[derive(Model, Debug, Clone)]
#[model(table = "m92")]
pub struct M92 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M69)]
    pub parent_id: i64,
    #[field(unique, references = M57)]
    pub owner_id: i64,
    #[relation(belongs_to = M69, foreign_key = "parent_id")]
    pub parent: BelongsTo<M69>,
    #[relation(belongs_to = M57, foreign_key = "owner_id")]
    pub owner: BelongsTo<M57>,
    #[relation(has_many = M99, foreign_key = "parent_id")]
    pub m99s: HasMany<M99>,
}

/// A row of `m93`.
#[derive(Model, Debug, Clone)]
#[model(table = "m93")]
pub struct M93 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M27)]
    pub parent_id: i64,
    #[field(index, references = M93)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M27, foreign_key = "parent_id")]
    pub parent: BelongsTo<M27>,
    #[relation(belongs_to = M93, foreign_key = "self_id")]
    pub self_: BelongsTo<M93>,
    #[relation(has_many = M93, foreign_key = "self_id")]
    pub m93s_as_self: HasMany<M93>,
}

/// A row of `m94`.
#[derive(Model, Debug, Clone)]
#[model(table = "m94")]
pub struct M94 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M91)]
    pub parent_id: i64,
    #[field(unique, references = M83)]
    pub owner_id: i64,
    #[relation(belongs_to = M91, foreign_key = "parent_id")]
    pub parent: BelongsTo<M91>,
    #[relation(belongs_to = M83, foreign_key = "owner_id")]
    pub owner: BelongsTo<M83>,
}

/// A row of `m95`.
#[derive(Model, Debug, Clone)]
#[model(table = "m95")]
pub struct M95 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M37)]
    pub parent_id: i64,
    #[relation(belongs_to = M37, foreign_key = "parent_id")]
    pub parent: BelongsTo<M37>,
    #[relation(has_many = M108, foreign_key = "b_id")]
    pub m108s: HasMany<M108>,
    #[relation(has_many = M115, foreign_key = "b_id")]
    pub m115s: HasMany<M115>,
    #[relation(has_many = M119, foreign_key = "b_id")]
    pub m119s: HasMany<M119>,
}

/// A row of `m96`.
#[derive(Model, Debug, Clone)]
#[model(table = "m96")]
pub struct M96 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M45)]
    pub parent_id: i64,
    #[field(index, references = M96)]
    pub self_id: Option<i64>,
    #[relation(belongs_to = M45, foreign_key = "parent_id")]
    pub parent: BelongsTo<M45>,
    #[relation(belongs_to = M96, foreign_key = "self_id")]
    pub self_: BelongsTo<M96>,
    #[relation(has_many = M96, foreign_key = "self_id")]
    pub m96s_as_self: HasMany<M96>,
}

/// A row of `m97`.
#[derive(Model, Debug, Clone)]
#[model(table = "m97")]
pub struct M97 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M56)]
    pub parent_id: i64,
    #[relation(belongs_to = M56, foreign_key = "parent_id")]
    pub parent: BelongsTo<M56>,
}

/// A row of `m98`.
#[derive(Model, Debug, Clone)]
#[model(table = "m98")]
pub struct M98 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M53)]
    pub parent_id: i64,
    #[relation(belongs_to = M53, foreign_key = "parent_id")]
    pub parent: BelongsTo<M53>,
}

/// A row of `m99`.
#[derive(Model, Debug, Clone)]
#[model(table = "m99")]
pub struct M99 {
    #[field(id, auto)]
    pub id: i64,
    pub name: String,
    #[field(index, references = M92)]
    pub parent_id: i64,
    #[relation(belongs_to = M92, foreign_key = "parent_id")]
    pub parent: BelongsTo<M92>,
    #[relation(has_many = M105, foreign_key = "a_id")]
    pub m105s: HasMany<M105>,
}

/// Every model of the file, for `create_schema`, the migrations and the generators.
pub fn schema() -> trellis::Schema {
    trellis::Schema::new()
        .model::<M0>()
        .model::<M1>()
        .model::<M10>()
        .model::<M100>()
        .model::<M101>()
        .model::<M102>()
        .model::<M103>()
        .model::<M104>()
        .model::<M105>()
        .model::<M106>()
        .model::<M107>()
        .model::<M108>()
        .model::<M109>()
        .model::<M11>()
        .model::<M110>()
        .model::<M111>()
        .model::<M112>()
        .model::<M113>()
        .model::<M114>()
        .model::<M115>()
        .model::<M116>()
        .model::<M117>()
        .model::<M118>()
        .model::<M119>()
        .model::<M12>()
        .model::<M13>()
        .model::<M14>()
        .model::<M15>()
        .model::<M16>()
        .model::<M17>()
        .model::<M18>()
        .model::<M19>()
        .model::<M2>()
        .model::<M20>()
        .model::<M21>()
        .model::<M22>()
        .model::<M23>()
        .model::<M24>()
        .model::<M25>()
        .model::<M26>()
        .model::<M27>()
        .model::<M28>()
        .model::<M29>()
        .model::<M3>()
        .model::<M30>()
        .model::<M31>()
        .model::<M32>()
        .model::<M33>()
        .model::<M34>()
        .model::<M35>()
        .model::<M36>()
        .model::<M37>()
        .model::<M38>()
        .model::<M39>()
        .model::<M4>()
        .model::<M40>()
        .model::<M41>()
        .model::<M42>()
        .model::<M43>()
        .model::<M44>()
        .model::<M45>()
        .model::<M46>()
        .model::<M47>()
        .model::<M48>()
        .model::<M49>()
        .model::<M5>()
        .model::<M50>()
        .model::<M51>()
        .model::<M52>()
        .model::<M53>()
        .model::<M54>()
        .model::<M55>()
        .model::<M56>()
        .model::<M57>()
        .model::<M58>()
        .model::<M59>()
        .model::<M6>()
        .model::<M60>()
        .model::<M61>()
        .model::<M62>()
        .model::<M63>()
        .model::<M64>()
        .model::<M65>()
        .model::<M66>()
        .model::<M67>()
        .model::<M68>()
        .model::<M69>()
        .model::<M7>()
        .model::<M70>()
        .model::<M71>()
        .model::<M72>()
        .model::<M73>()
        .model::<M74>()
        .model::<M75>()
        .model::<M76>()
        .model::<M77>()
        .model::<M78>()
        .model::<M79>()
        .model::<M8>()
        .model::<M80>()
        .model::<M81>()
        .model::<M82>()
        .model::<M83>()
        .model::<M84>()
        .model::<M85>()
        .model::<M86>()
        .model::<M87>()
        .model::<M88>()
        .model::<M89>()
        .model::<M9>()
        .model::<M90>()
        .model::<M91>()
        .model::<M92>()
        .model::<M93>()
        .model::<M94>()
        .model::<M95>()
        .model::<M96>()
        .model::<M97>()
        .model::<M98>()
        .model::<M99>()
}
