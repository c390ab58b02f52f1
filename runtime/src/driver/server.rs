//! What the server behind a pool answers beyond its dialect, found out once at connect time:
//! MySQL and MariaDB share a dialect, but only MariaDB (from 10.5) answers `INSERT ..
//! RETURNING`, which saves an insert of rows Trellis does not know whole the `SELECT` that
//! reads them back.

/// The first MariaDB release with `INSERT .. RETURNING`.
const MARIADB_RETURNING: (u32, u32) = (10, 5);

/// Whether a MySQL-protocol server whose `SELECT VERSION()` answered `version` runs `INSERT ..
/// RETURNING`: MariaDB 10.5 or newer (`10.11.19-MariaDB-0+deb12u1`, or behind the
/// `5.5.5-` prefix older clients were sent), never MySQL (`8.0.36`), and not a server whose
/// version does not read: reading rows back is right on every server.
pub(crate) fn mariadb_with_returning(version: &str) -> bool {
    if !version.contains("MariaDB") {
        return false;
    }
    let version = version.strip_prefix("5.5.5-").unwrap_or(version);
    let mut numbers = version
        .split(|c: char| !c.is_ascii_digit())
        .map(str::parse::<u32>);
    match (numbers.next(), numbers.next()) {
        (Some(Ok(major)), Some(Ok(minor))) => (major, minor) >= MARIADB_RETURNING,
        _ => false,
    }
}

/// Asks a MySQL or MariaDB server for its version and answers whether it runs `INSERT ..
/// RETURNING` (see [`mariadb_with_returning`]).
pub(crate) async fn mysql_insert_returning(
    pool: &sqlx::MySqlPool,
) -> crate::values::error::Result<bool> {
    let version: String = sqlx::query_scalar("SELECT VERSION()")
        .fetch_one(pool)
        .await
        .map_err(crate::values::error::Error::from_sqlx)?;
    Ok(mariadb_with_returning(&version))
}

#[cfg(test)]
mod tests {
    use super::mariadb_with_returning;

    #[test]
    fn mariadb_from_10_5_returns_inserted_rows_and_mysql_never() {
        for (version, returning) in [
            ("10.11.19-MariaDB-0+deb12u1", true),
            ("5.5.5-10.11.19-MariaDB-0+deb12u1", true),
            ("10.5.0-MariaDB", true),
            ("11.4.2-MariaDB-ubu2404", true),
            ("10.4.34-MariaDB", false),
            ("5.5.5-10.3.39-MariaDB-0+deb10u2", false),
            ("8.0.36", false),
            ("8.4.0-log", false),
            ("9.1.0-commercial", false),
            ("MariaDB", false),
            ("", false),
        ] {
            assert_eq!(mariadb_with_returning(version), returning, "{version}");
        }
    }
}
