//! Keys and columns that differ by backend: text keys that differ only in case or trailing
//! spaces, UUID keys across the whole range of their bytes, NULL in a column a field says
//! cannot hold one, and text longer than 64 KiB.

use trellis::prelude::*;

use crate::support::backend_tests;

backend_tests!(
    text_keys_differing_in_case_or_spaces_are_distinct_everywhere,
    key_columns_of_foreign_tables_that_ignore_case_match_as_the_database_compares,
    null_in_a_non_option_field_is_a_decode_error,
    long_text_is_stored_whole_and_too_long_keys_are_a_typed_error,
    uuid_keys_find_their_rows_whatever_their_bytes,
);

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "accounts")]
pub struct Account {
    #[field(id)]
    pub id: String,
    pub name: String,
    #[relation(has_many = Login, foreign_key = "account_id")]
    pub logins: HasMany<Login>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "logins")]
pub struct Login {
    #[field(id)]
    pub id: i64,
    #[field(references = Account)]
    pub account_id: String,
    #[relation(belongs_to = Account, foreign_key = "account_id")]
    pub account: BelongsTo<Account>,
}

fn schema() -> Schema {
    Schema::new().model::<Account>().model::<Login>()
}

async fn text_keys_differing_in_case_or_spaces_are_distinct_everywhere(
    db: Db,
) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    // MySQL compares text with trailing spaces ignored, in every collation its versions share
    // (`utf8mb4_bin` included): there "ada " is the key "ada" (docs/relations.md).
    let mysql = db.dialect() == trellis::Dialect::MySql;
    let keys: &[&str] = if mysql {
        &["ada", "ADA"]
    } else {
        &["ada", "ADA", "ada "]
    };
    Account::insert_many(keys.iter().map(|k| account::New {
        id: (*k).to_owned(),
        name: format!("[{k}]"),
    }))
    .exec(&db)
    .await?;
    // Logins 1 and 2 belong to "ada", 3 to "ADA", 4 to "ada ".
    Login::insert_many(
        [(1, "ada"), (2, "ada"), (3, "ADA"), (4, "ada ")].map(|(id, key)| login::New {
            id,
            account_id: key.to_owned(),
        }),
    )
    .exec(&db)
    .await?;
    let want = |key: &str| -> Vec<i64> {
        match key {
            "ada" if mysql => vec![1, 2, 4],
            "ada" => vec![1, 2],
            "ADA" => vec![3],
            _ => vec![4],
        }
    };

    let accounts = Account::find_many()
        .include(account::logins.with(|q| q.order_by(login::id.asc())))
        .order_by(account::name.asc())
        .fetch_all(&db)
        .await?;
    assert_eq!(accounts.len(), keys.len());
    for account in &accounts {
        let ids: Vec<i64> = account
            .logins
            .get()
            .unwrap_or_default()
            .iter()
            .map(|l| l.id)
            .collect();
        assert_eq!(ids, want(&account.id), "include, account {:?}", account.id);
    }
    let selected = Account::find_many()
        .select(select!(Account { id, logins(order_by = id.asc()) { id } }))
        .order_by(account::name.asc())
        .fetch_all(&db)
        .await?;
    let counted = Account::find_many()
        .select(select!(Account { id, logins: count }))
        .order_by(account::name.asc())
        .fetch_all(&db)
        .await?;
    assert_eq!(selected.len(), keys.len());
    for (row, count) in selected.iter().zip(&counted) {
        let ids: Vec<i64> = row.logins.iter().map(|l| l.id).collect();
        assert_eq!(ids, want(&row.id), "select!, account {:?}", row.id);
        assert_eq!(count.id, row.id);
        assert_eq!(
            count.logins as usize,
            ids.len(),
            "count, account {:?}",
            row.id
        );
    }

    // From each login, its own account.
    let logins = Login::find_many()
        .include(login::account)
        .order_by(login::id.asc())
        .fetch_all(&db)
        .await?;
    for login in &logins {
        let account = login.account.get().map(|a| a.id.clone());
        let key = if mysql {
            login.account_id.trim_end()
        } else {
            &login.account_id
        };
        assert_eq!(account.as_deref(), Some(key), "login {}", login.id);
    }
    // Equality on a key is exact, letter case included.
    let found = Account::find_many()
        .filter(account::id.eq("ADA"))
        .fetch_all(&db)
        .await?;
    assert_eq!(
        found.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        ["[ADA]"]
    );
    Ok(())
}

async fn key_columns_of_foreign_tables_that_ignore_case_match_as_the_database_compares(
    db: Db,
) -> Result<(), Error> {
    // Tables made outside Trellis whose key columns ignore letter case: MySQL's default
    // collation, SQLite's NOCASE. PostgreSQL's text has no such collation by default.
    let tables: &[&str] = match db.dialect() {
        trellis::Dialect::MySql => &[
            "CREATE TABLE accounts (id VARCHAR(255) NOT NULL PRIMARY KEY, name TEXT NOT NULL) DEFAULT CHARSET=utf8mb4",
            "CREATE TABLE logins (id BIGINT NOT NULL PRIMARY KEY, account_id VARCHAR(255) NOT NULL, FOREIGN KEY (account_id) REFERENCES accounts (id)) DEFAULT CHARSET=utf8mb4",
        ],
        trellis::Dialect::Sqlite => &[
            "CREATE TABLE accounts (id TEXT NOT NULL PRIMARY KEY COLLATE NOCASE, name TEXT NOT NULL)",
            "CREATE TABLE logins (id BIGINT NOT NULL PRIMARY KEY, account_id TEXT NOT NULL COLLATE NOCASE REFERENCES accounts (id))",
        ],
        _ => return Ok(()),
    };
    for sql in tables.iter().chain(&[
        "INSERT INTO accounts (id, name) VALUES ('ada', 'Ada')",
        "INSERT INTO logins (id, account_id) VALUES (1, 'ada'), (2, 'ADA')",
    ]) {
        db.execute_raw(sql, []).await?;
    }
    // The database counts two logins for the account.
    let counted = Account::find_many()
        .select(select!(Account { id, logins: count }))
        .fetch_all(&db)
        .await?;
    assert_eq!(counted[0].logins, 2);
    let loaded = Account::find_many()
        .include(account::logins)
        .fetch_all(&db)
        .await;
    let selected = Account::find_many()
        .select(select!(Account { id, logins { id } }))
        .fetch_all(&db)
        .await;
    let accounts = Login::find_many()
        .include(login::account)
        .order_by(login::id.asc())
        .fetch_all(&db)
        .await;
    // Related rows are matched to parents as the database compares the keys, so loading,
    // selecting and counting agree.
    let logins = loaded?[0].logins.get().map(<[Login]>::len);
    assert_eq!(logins, Some(2));
    assert_eq!(selected?[0].logins.len(), 2);
    for login in accounts? {
        assert_eq!(
            login.account.get().map(|a| a.id.as_str()),
            Some("ada"),
            "login {}",
            login.id
        );
    }
    Ok(())
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "readings")]
pub struct Reading {
    #[field(id)]
    pub id: i64,
    pub label: String,
    pub value: i64,
    pub done: bool,
}

async fn null_in_a_non_option_field_is_a_decode_error(db: Db) -> Result<(), Error> {
    // A table made outside Trellis, whose columns allow NULL where the model does not.
    db.execute_raw(
        "CREATE TABLE readings (id BIGINT NOT NULL PRIMARY KEY, label TEXT, value BIGINT, done BOOLEAN)",
        [],
    )
    .await?;
    for (id, row) in [
        (1, "(1, NULL, 5, TRUE)"),
        (2, "(2, 'x', NULL, TRUE)"),
        (3, "(3, 'x', 5, NULL)"),
    ] {
        db.execute_raw(
            &format!("INSERT INTO readings (id, label, value, done) VALUES {row}"),
            [],
        )
        .await?;
        let read = Reading::find_by_id(id).fetch_one(&db).await;
        let column = ["label", "value", "done"][id as usize - 1];
        match read {
            Err(Error::Decode {
                model, column: c, ..
            }) => assert_eq!((model, c), ("Reading", column)),
            other => panic!("NULL in `{column}`: expected a decode error, got {other:?}"),
        }
    }
    Ok(())
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "notes")]
pub struct Note {
    #[field(id)]
    pub id: String,
    pub body: String,
}

async fn long_text_is_stored_whole_and_too_long_keys_are_a_typed_error(
    db: Db,
) -> Result<(), Error> {
    db.create_schema(&Schema::new().model::<Note>()).await?;
    // 70 KB, more than MySQL's TEXT holds, with multi-byte characters.
    let body: String = "ü–ß ✓ ".repeat(7_000);
    assert!(body.len() > 70_000);
    Note::insert(Note {
        id: "long".into(),
        body: body.clone(),
    })
    .exec(&db)
    .await?;
    let stored = Note::find_by_id("long").fetch_one(&db).await?;
    assert_eq!(stored.body, body);

    // Text keys are VARCHAR(255) on MySQL (it cannot index unbounded text); elsewhere unbounded.
    let key = "k".repeat(300);
    let result = Note::insert(Note {
        id: key.clone(),
        body: "x".into(),
    })
    .exec(&db)
    .await;
    if db.dialect() == trellis::Dialect::MySql {
        match result {
            Err(Error::ValueTooLong { column, .. }) => assert_eq!(column.as_deref(), Some("id")),
            other => panic!("expected a value-too-long error, got {other:?}"),
        }
        assert_eq!(Note::count().fetch(&db).await?, 1, "nothing written");
    } else {
        result?;
        assert_eq!(Note::find_by_id(key).fetch_one(&db).await?.body, "x");
    }
    Ok(())
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "devices")]
pub struct Device {
    #[field(id)]
    pub id: uuid::Uuid,
    pub name: String,
    #[relation(has_many = DeviceReading, foreign_key = "device_id")]
    pub readings: HasMany<DeviceReading>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "device_readings")]
pub struct DeviceReading {
    #[field(id)]
    pub id: i64,
    #[field(references = Device)]
    pub device_id: uuid::Uuid,
}

/// UUID keys whose first bytes are lowest, highest and either side of the sign bit a signed
/// comparison would trip on: PostgreSQL bounds them by their least and greatest key (compared
/// byte by byte, as Rust orders them), the other backends list them; each parent finds its
/// rows, and a long `in_` list of UUIDs its rows too.
async fn uuid_keys_find_their_rows_whatever_their_bytes(db: Db) -> Result<(), Error> {
    db.create_schema(&Schema::new().model::<Device>().model::<DeviceReading>())
        .await?;
    let ids = [
        uuid::Uuid::from_u128(1),
        uuid::Uuid::from_u128(0x7fff_ffff_ffff_ffff_ffff_ffff_ffff_ffff),
        uuid::Uuid::from_u128(1 << 127),
        uuid::Uuid::from_u128(u128::MAX),
        uuid::Uuid::from_u128(0x00ff_0000_0000_4000_8000_0000_0000_0000),
    ];
    Device::insert_many(ids.iter().enumerate().map(|(i, id)| device::New {
        id: *id,
        name: format!("d{i}"),
    }))
    .exec(&db)
    .await?;
    DeviceReading::insert_many((0..10).map(|n| device_reading::New {
        id: n,
        device_id: ids[n as usize % ids.len()],
    }))
    .exec(&db)
    .await?;

    // Three devices by key (a filter, so their readings are looked up by key, not read whole).
    let chosen = [ids[0], ids[2], ids[3]];
    let devices = Device::find_many()
        .filter(device::id.in_(chosen))
        .order_by(device::id.asc())
        .include(device::readings.with(|q| q.order_by(device_reading::id.asc())))
        .fetch_all(&db)
        .await?;
    let found: Vec<(uuid::Uuid, Vec<i64>)> = devices
        .iter()
        .map(|d| {
            let readings = d.readings.get().unwrap_or_default();
            (d.id, readings.iter().map(|r| r.id).collect())
        })
        .collect();
    assert_eq!(
        found,
        [
            (ids[0], vec![0, 5]),
            (ids[2], vec![2, 7]),
            (ids[3], vec![3, 8])
        ]
    );

    // A list longer than a statement's placeholders are written for: one parameter.
    let many: Vec<uuid::Uuid> = (0..300_u128)
        .map(|n| uuid::Uuid::from_u128(n << 100 | 0xabc))
        .chain([ids[1], ids[4]])
        .collect();
    let mut readings: Vec<i64> = DeviceReading::find_many()
        .filter(device_reading::device_id.in_(many.clone()))
        .fetch_all(&db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    readings.sort_unstable();
    assert_eq!(readings, [1, 4, 6, 9]);
    let outside = DeviceReading::count()
        .filter(device_reading::device_id.not_in(many))
        .fetch(&db)
        .await?;
    assert_eq!(outside, 6);
    Ok(())
}
