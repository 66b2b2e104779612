//! The store's customer groups, read whole (`GET /customer_groups`, 100 a page): an import
//! settles the groups its file names by them, and `export --group` finds its group's id.

use crate::ecwid::Group;
use crate::ecwid::engine::{Engine, Failure, Kind};

/// Reads the store's groups, every page.
pub(crate) async fn read_groups(engine: &Engine) -> Result<Vec<Group>, Failure> {
    let mut all: Vec<Group> = Vec::new();
    loop {
        let offset = all.len() as u64;
        let mut tries = engine.tries();
        let (items, total) = engine
            .send(Kind::Groups, &mut tries, || {
                engine.client.customer_groups(offset)
            })
            .await?;
        let done = items.is_empty() || offset + items.len() as u64 >= total;
        all.extend(items);
        if done {
            return Ok(all);
        }
    }
}
