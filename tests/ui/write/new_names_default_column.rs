// `ticket::New` leaves out columns with a `default`: the database fills them in, so naming one is an error.
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
        title: "First".into(),
        status: "open".into(),
    });
}
