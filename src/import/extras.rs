//! Extra-field columns held against the store's own customer extra fields, read once before
//! anything is sent (`GET /store_extrafields/customers`, scope `read_customers_extrafields`):
//!
//! - a column no field takes, named as one of the store's fields is titled (case and spaces
//!   aside: "Loyalty number", "loyalty  NUMBER"), is taken for that field's key;
//! - a column `extrafields.KEY` whose key the store does not define (in any case) stops the run
//!   before anything is sent (exit 2), naming the columns and the store's keys and titles: a
//!   store may drop such a value silently, or refuse every row for it; a key written in another
//!   case is sent as the store spells it;
//! - the values of a `datetime` field are checked as dates and sent in one form
//!   ([`crate::input::mapping::store_date`]).
//!
//! A token that may not read the fields (403: its app lacks the scope), or a store that does not
//! answer, is no reason to stop: the run says so, and `extrafields.KEY` columns are sent by key
//! as written, unchecked. `validate` reads no store: it names the columns that may be extra
//! fields and says that `plan` checks them.

use crate::ecwid::StoreExtraField;
use crate::ecwid::engine::{Engine, Failure, Kind, STOPPED_RUN};
use crate::error::Error;
use crate::input::mapping::{ColumnMap, is_title};

/// Reads the store's extra fields when the file may name one, and maps and checks its columns
/// by them (see the module's comment). `Err` stops the run before anything is sent.
pub(super) async fn match_store(engine: &Engine, map: &mut ColumnMap) -> Result<(), Error> {
    let by_key = map.extra_columns();
    if by_key.is_empty() && map.unused_columns().is_empty() {
        return Ok(());
    }
    let mut tries = engine.tries();
    let read = engine
        .send(Kind::ExtraFields, &mut tries, || {
            engine.client.customer_extra_fields()
        })
        .await;
    let fields = match read {
        Ok(fields) => fields,
        // The run is stopping: nothing will be sent.
        Err(Failure::Stopped) => return Ok(()),
        Err(Failure::Failed { why, .. }) if why == STOPPED_RUN => return Ok(()),
        Err(Failure::Failed { error, .. }) => {
            let columns = if by_key.is_empty() {
                String::new()
            } else {
                let named: Vec<&str> = by_key.iter().map(|(label, _)| label.as_str()).collect();
                format!(": {} sent by key as written, unchecked", named.join(", "))
            };
            let why = crate::ecwid::extra_fields_unread(&error);
            tracing::warn!(
                "could not read the store's customer extra fields ({why}); columns named by an \
                 extra field's title are not recognised{columns}"
            );
            return Ok(());
        }
    };
    check_keys(map, &by_key, &fields)?;
    take_titles(map, &fields);
    map.set_date_keys(
        fields
            .iter()
            .filter(|f| f.datetime)
            .map(|f| f.key.clone())
            .collect(),
    );
    Ok(())
}

/// Sends each `extrafields.KEY` column under the store's spelling of its key, or refuses the
/// run naming every column whose key the store does not define.
fn check_keys(
    map: &mut ColumnMap,
    by_key: &[(String, String)],
    fields: &[StoreExtraField],
) -> Result<(), Error> {
    let mut unknown = Vec::new();
    for (label, key) in by_key {
        if fields.iter().any(|f| f.key == *key) {
            continue;
        }
        match fields.iter().find(|f| f.key.eq_ignore_ascii_case(key)) {
            Some(field) => map.respell_extra(key, &field.key),
            None => unknown.push(format!("{label:?} (key {key:?})")),
        }
    }
    if unknown.is_empty() {
        return Ok(());
    }
    let defined = if fields.is_empty() {
        "the store defines no customer extra fields".to_string()
    } else {
        let listed: Vec<String> = fields.iter().map(described).collect();
        format!(
            "the store's customer extra fields are: {}",
            listed.join(", ")
        )
    };
    Err(Error::ExtraFieldsUnknown {
        message: format!(
            "columns naming customer extra fields the store does not define: {}; {defined}. \
             Name each column extrafields.<key> with one of these keys, or by the field's \
             title, or remove it. Nothing was sent",
            unknown.join(", ")
        ),
    })
}

/// `key ("Title", datetime)`.
fn described(field: &StoreExtraField) -> String {
    let kind = if field.datetime { ", datetime" } else { "" };
    format!("{} ({:?}{kind})", field.key, field.title)
}

/// Takes each column no field takes whose name is a field's title for that field, unless
/// another column already fills it.
fn take_titles(map: &mut ColumnMap, fields: &[StoreExtraField]) {
    for (position, name) in map.unused_columns() {
        let Some(field) = fields.iter().find(|f| is_title(&f.title, &name)) else {
            continue;
        };
        let taken = map.extra_columns();
        if let Some((other, _)) = taken.iter().find(|(_, key)| *key == field.key) {
            tracing::warn!(
                "column {name:?} is titled as the store's extra field {}, which column \
                 {other:?} already fills: {name:?} is not imported",
                described(field)
            );
            continue;
        }
        map.take_as_extra(position, &field.key);
        tracing::info!(
            "mapping: column {name:?} -> extrafields.{} (the title of the store's customer \
             extra field {})",
            field.key,
            described(field)
        );
    }
}

/// What a run that reads no store (`validate`) can say of extra fields: which columns may be
/// ones, and that `plan` checks them.
pub(super) fn tell_offline(map: &ColumnMap) {
    let by_key: Vec<String> = map.extra_columns().into_iter().map(|(l, _)| l).collect();
    let unused: Vec<String> = map.unused_columns().into_iter().map(|(_, n)| n).collect();
    if by_key.is_empty() && unused.is_empty() {
        return;
    }
    let mut parts = Vec::new();
    if !by_key.is_empty() {
        parts.push(format!(
            "{} name extra fields by key, which the store must define",
            by_key.join(", ")
        ));
    }
    if !unused.is_empty() {
        parts.push(format!(
            "{} may be extra fields named by their titles (not imported here)",
            unused.join(", ")
        ));
    }
    tracing::warn!(
        "customer extra fields are not checked offline: {}; `plan` reads the store's extra \
         fields and checks these columns against them",
        parts.join("; ")
    );
}
