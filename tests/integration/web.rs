//! The web-service example (`examples/axum_api.rs`) served on a free port and asked over real
//! HTTP, on every backend: nested JSON for a filter, 400 for a filter that does not read.

use serde_json::{json, Value as Json};
use trellis::prelude::*;

use crate::support::backend_tests;

#[path = "../../examples/axum_api.rs"]
#[allow(dead_code)]
mod axum_api;

backend_tests!(searches_over_http);

/// Sends `POST /users/search` with `body`; the status and the JSON answered.
async fn post_search(base: &str, body: &str) -> Result<(u16, Json), Error> {
    let failed = |e: reqwest::Error| Error::InvalidQuery(format!("HTTP request failed: {e}"));
    let answer = reqwest::Client::new()
        .post(format!("{base}/users/search"))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .map_err(failed)?;
    let status = answer.status().as_u16();
    Ok((status, answer.json().await.map_err(failed)?))
}

async fn searches_over_http(db: Db) -> Result<(), Error> {
    axum_api::seed(&db).await?;
    // Port 0: a free port, chosen by the system.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| Error::InvalidQuery(format!("bind: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::InvalidQuery(format!("address: {e}")))?;
    let server = tokio::spawn(async move { axum::serve(listener, axum_api::app(db)).await });
    let base = format!("http://{addr}");

    let (status, body) = post_search(
        &base,
        r#"{"where": {"email": {"starts_with": "ada"}}, "take": 10}"#,
    )
    .await?;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!([{
            "id": "ada",
            "profile": { "bio": "Counts things." },
            "sessions": [{ "token": "t1" }, { "token": "t2" }]
        }])
    );

    // No filter, one user: the first by id, with its empty relations.
    let (status, body) = post_search(&base, r#"{"take": 1}"#).await?;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!([{ "id": "ada", "profile": { "bio": "Counts things." }, "sessions": [{ "token": "t1" }, { "token": "t2" }] }])
    );
    let (status, body) = post_search(&base, r#"{"where": {"id": {"equals": "bob"}}}"#).await?;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!([{ "id": "bob", "profile": null, "sessions": [] }])
    );

    // A column the model does not have: 400, and the message names it.
    let (status, body) = post_search(&base, r#"{"where": {"emial": {"equals": "x"}}}"#).await?;
    assert_eq!(status, 400, "{body}");
    let message = body["error"].as_str().unwrap_or_default();
    assert!(message.contains("emial"), "{message}");

    // `null` where a list belongs is an error, not a condition left out; so is a body that is
    // not JSON.
    for bad in [r#"{"where": {"id": {"in": null}}}"#, "not json"] {
        let (status, body) = post_search(&base, bad).await?;
        assert_eq!(status, 400, "{bad}: {body}");
    }
    server.abort();
    Ok(())
}
