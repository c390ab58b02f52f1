//! TLS to PostgreSQL (the `tls-rustls` feature), against the server of
//! `TRELLIS_TEST_POSTGRES_URL` with `sslmode=require`.

use trellis::prelude::*;

#[tokio::test]
async fn postgres_over_tls() -> Result<(), Error> {
    let Some(url) = std::env::var("TRELLIS_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        return Ok(()); // PostgreSQL is not configured for this run.
    };
    let separator = if url.contains('?') { '&' } else { '?' };
    let db = Db::connect(&format!("{url}{separator}sslmode=require")).await?;
    let rows = db
        .fetch_raw(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            [],
        )
        .await?;
    let ssl: bool = rows
        .first()
        .map(|row| row.get_native(0))
        .transpose()
        .map_err(|e| Error::InvalidQuery(e.to_string()))?
        .unwrap_or(false);
    assert!(ssl, "the session is encrypted");
    db.close().await;
    Ok(())
}
