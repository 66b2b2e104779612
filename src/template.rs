//! `template`: the header line with every supported column, a starter mapping file, or the
//! mapping a given file's columns get (with a store: its extra fields matched by title); and
//! the column reference of the docs.

use crate::cli::TemplateArgs;
use crate::config::Connection;
use crate::customer::fields::Field;
use crate::ecwid::engine::{Failure, Kind, Stop};
use crate::error::Error;
use crate::outcome::ExitStatus;
use crate::{customer, input};

/// Prints what `template` with `args` asks for; `env_token` is `ECWID_TOKEN`.
pub(crate) async fn run(
    args: &TemplateArgs,
    env_token: Option<String>,
) -> Result<ExitStatus, Error> {
    match (&args.from, args.mapping) {
        (Some(path), true) => {
            let titles = match args.connection(env_token)? {
                Some(connection) => extra_field_titles(&connection).await,
                None => Vec::new(),
            };
            print!(
                "{}",
                mapping_starter_from(path, args.read_options(), &titles)?
            );
        }
        (None, true) => print!("{}", input::mapping::starter()),
        (_, false) => println!("{}", template()),
    }
    Ok(ExitStatus::Ok)
}

/// The column reference of docs/files-and-columns.md: every canonical column and what it accepts, list
/// positions written `N`.
pub fn column_reference() -> String {
    let mut table = String::from("| column | accepts |\n|---|---|\n");
    for field in Field::canonical() {
        let name = field.to_string().replace(".0.", ".N.");
        let accepts = customer::rules::accepted(field);
        table.push_str(&format!("| `{name}` | {accepts} |\n"));
    }
    table
}

/// The store's customer extra fields as `(key, title)`, for `template --mapping --from` with a
/// store; none (and a warning saying why) when the store will not tell.
async fn extra_field_titles(connection: &Connection) -> Vec<(String, String)> {
    let engine = match connection.engine(&Stop::default()) {
        Ok(engine) => engine,
        Err(error) => {
            tracing::warn!("{error}: extra fields are not matched by their titles");
            return Vec::new();
        }
    };
    let mut tries = engine.tries();
    let read = engine
        .send(Kind::ExtraFields, &mut tries, || {
            engine.client.customer_extra_fields()
        })
        .await;
    match read {
        Ok(fields) => fields.into_iter().map(|f| (f.key, f.title)).collect(),
        // Nothing stops this run (a refused token fails the read, as below).
        Err(Failure::Stopped) => Vec::new(),
        Err(Failure::Failed { error, .. }) => {
            let why = crate::ecwid::extra_fields_unread(&error);
            tracing::warn!(
                "could not read the store's customer extra fields ({why}): columns named by an \
                 extra field's title are not mapped"
            );
            Vec::new()
        }
    }
}

/// `template --mapping --from FILE`: the mapping the file's columns get, as a mapping file.
fn mapping_starter_from(
    path: &std::path::Path,
    options: input::source::ReadOptions<'_>,
    titles: &[(String, String)],
) -> Result<String, Error> {
    let input = input::source::Input::open(path, options).map_err(|source| Error::Input {
        path: path.to_path_buf(),
        source,
    })?;
    input::mapping::ColumnMap::starter(input.headers(), path, titles).map_err(|source| {
        Error::Header {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// The header line with every supported column.
pub fn template() -> String {
    let names: Vec<String> = Field::canonical().iter().map(Field::to_string).collect();
    names.join(",")
}
