// `ticket::New` leaves out `#[field(id, auto)]` keys: the database generates them, so naming one is an error.
use trellis::prelude::*;

#[derive(Model)]
pub struct Ticket {
    #[field(id, auto)]
    pub id: i64,
    pub title: String,
    #[field(default = "'open'")]
    pub status: String,
}

fn main() {
    let _ = Ticket::insert(ticket::New {
        id: 0,
        title: "First".into(),
    });
}
