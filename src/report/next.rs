//! The next step at the end of a run, as a command to paste: continue a stopped run, import the
//! failed rows once fixed, undo an import, import what a plan showed, write what an undo only
//! showed.
//!
//! The commands are made from the command line as typed ([`Typed`]), so that they keep the
//! person's own options (`--store-id`, `--token-file`, `--preset`, `--rate`, ...) and take the
//! rest from the same environment (`ECWID_STORE_ID`, `ECWID_TOKEN`). The token is never a word
//! of the command line (it comes only from the environment or a file), so it never appears in
//! them. Every word is quoted for a POSIX shell when it needs it (a path with a space). When
//! the command line is not known (the library driven directly), there is no next step.

use clap::CommandFactory;

use super::summary::NextStep;
use crate::cli::Cli;
use crate::words::count;

/// The options of `import` that continue to hold for its failed-rows file: not where the
/// results go, nor how the original was read (the failed rows are a UTF-8 CSV file with the
/// input's delimiter, found again from its header), nor `--resume`.
const NOT_FOR_FAILED_ROWS: &[&str] = &[
    "output",
    "summary_json",
    "resume",
    "delimiter",
    "encoding",
    "sheet",
];

/// The options of `import` that `undo` takes: where the store is and how fast to talk to it.
const CONNECTION: &[&str] = &[
    "store_id",
    "token_file",
    "api_url",
    "rate",
    "concurrency",
    "max_retries",
    "timeout",
];

/// The options of `validate` that `plan` reads the file with.
const READING: &[&str] = &["delimiter", "encoding", "sheet", "preset", "mapping"];

/// One option as typed: its id (as clap names it) and its words (`--rate 60` or `--rate=60`).
#[derive(Debug, Clone)]
struct Typed1 {
    id: String,
    words: Vec<String>,
}

/// A command line as typed, split into the parts the next step changes.
#[derive(Debug, Clone)]
pub(crate) struct Typed {
    program: String,
    /// Words before the command (`-q`, `-v`).
    global: Vec<String>,
    command: String,
    /// The positional argument (the input file, or `undo`'s results file).
    file: Option<String>,
    /// A word that names no option of the command (there should be none once clap has taken
    /// the command line) has an empty id, and is kept in every command made.
    options: Vec<Typed1>,
}

impl Typed {
    /// Splits `invocation` (`argv`, the program first) by the options of this program. `None`
    /// when it is empty or names no command.
    pub(crate) fn parse(invocation: &[String]) -> Option<Self> {
        let mut cli = Cli::command();
        cli.build();
        let mut words = invocation.iter();
        let program = words.next()?.clone();
        let mut global = Vec::new();
        let command = loop {
            let word = words.next()?;
            if word.starts_with('-') {
                global.push(word.clone());
            } else {
                break word.clone();
            }
        };
        let sub = cli.find_subcommand(&command)?;
        let mut typed = Typed {
            program,
            global,
            command,
            file: None,
            options: Vec::new(),
        };
        let mut only_positional = false;
        while let Some(word) = words.next() {
            if only_positional || !word.starts_with('-') || word == "-" {
                typed.file.get_or_insert_with(|| word.clone());
                continue;
            }
            if word == "--" {
                only_positional = true;
                continue;
            }
            let (arg, inline) = match word.strip_prefix("--") {
                Some(long) => {
                    let (name, inline) = match long.split_once('=') {
                        Some((name, _)) => (name, true),
                        None => (long, false),
                    };
                    let arg = sub.get_arguments().find(|a| {
                        a.get_long() == Some(name)
                            || a.get_all_aliases().is_some_and(|all| all.contains(&name))
                    });
                    (arg, inline)
                }
                None => {
                    let short = word.chars().nth(1);
                    let arg = sub.get_arguments().find(|a| a.get_short() == short);
                    (arg, word.chars().count() > 2)
                }
            };
            let Some(arg) = arg else {
                typed.options.push(Typed1 {
                    id: String::new(),
                    words: vec![word.clone()],
                });
                continue;
            };
            let mut option = Typed1 {
                id: arg.get_id().to_string(),
                words: vec![word.clone()],
            };
            if arg.get_action().takes_values()
                && !inline
                && let Some(value) = words.next()
            {
                option.words.push(value.clone());
            }
            typed.options.push(option);
        }
        Some(typed)
    }

    fn has(&self, id: &str) -> bool {
        self.options.iter().any(|o| o.id == id)
    }

    /// The command line as typed, quoted, with `extra` words after it.
    fn again(&self, extra: &[&str]) -> String {
        self.line(&self.command, self.file.as_deref(), |_| true, extra)
    }

    /// `<program> <global> <command> <file> <options kept> <extra>`, quoted.
    fn line(
        &self,
        command: &str,
        file: Option<&str>,
        keep: impl Fn(&str) -> bool,
        extra: &[&str],
    ) -> String {
        let mut words: Vec<&str> = vec![&self.program];
        words.extend(self.global.iter().map(String::as_str));
        words.push(command);
        // A file whose name starts with `-` comes last, after `--`, where it cannot be taken
        // for an option.
        let file_last = file.filter(|f| f.starts_with('-'));
        if file_last.is_none() {
            words.extend(file);
        }
        for option in &self.options {
            if option.id.is_empty() || keep(&option.id) {
                words.extend(option.words.iter().map(String::as_str));
            }
        }
        words.extend(extra);
        if let Some(file) = file_last {
            words.extend(["--", file]);
        }
        let quoted: Vec<String> = words.into_iter().map(shell_quote).collect();
        quoted.join(" ")
    }
}

/// What ended the run, for [`after_import`].
pub(crate) struct Ended<'a> {
    /// The run stopped early (interrupted, or the store refused).
    pub(crate) stopped: bool,
    /// `None` for a dry run; `Some(true)` for a plan.
    pub(crate) plan: Option<bool>,
    /// The run wrote a journal (`--resume` can continue it): not into the sandbox of `--sandbox`.
    pub(crate) journal: bool,
    /// Rows in the failed-rows file (`invalid` and `failed`).
    pub(crate) to_fix: u64,
    /// Writes a plan found for the import (`would_create`, `would_update`).
    pub(crate) would_write: u64,
    pub(crate) results: &'a str,
    pub(crate) failed_output: &'a str,
    /// The undo log holds writes.
    pub(crate) undo_log: bool,
}

/// The next steps after `import`, `plan`, `validate` (or `import --dry-run`), the most pressing
/// first.
pub(crate) fn after_import(typed: Option<&Typed>, ended: &Ended<'_>) -> Vec<NextStep> {
    let Some(typed) = typed else {
        return Vec::new();
    };
    let step = |what: String, command: String| NextStep { what, command };
    let mut steps = Vec::new();
    match ended.plan {
        None if ended.to_fix > 0 => steps.push(step(
            format!(
                "To check again after fixing the {} listed in {}",
                count(ended.to_fix, "row", "rows"),
                ended.results
            ),
            typed.again(&[]),
        )),
        // Nothing to fix: see what the import would do in the store.
        None => steps.push(step(
            "To see what the import would do in the store".into(),
            typed.line(
                "plan",
                typed.file.as_deref(),
                |id| READING.contains(&id),
                &[],
            ),
        )),
        Some(true) if ended.stopped => {
            steps.push(step("To plan again".into(), typed.again(&[])));
        }
        Some(true) if ended.would_write > 0 => steps.push(step(
            "To import as planned".into(),
            typed.line(
                "import",
                typed.file.as_deref(),
                |id| !matches!(id, "output" | "summary_json"),
                &[],
            ),
        )),
        Some(true) => {}
        Some(false) => {
            if ended.stopped && ended.journal {
                let resume: &[&str] = if typed.has("resume") {
                    &[]
                } else {
                    &["--resume"]
                };
                steps.push(step("To continue".into(), typed.again(resume)));
            }
            if ended.to_fix > 0 {
                steps.push(step(
                    format!(
                        "To import the {} once fixed in {}",
                        count(ended.to_fix, "row", "rows"),
                        ended.failed_output
                    ),
                    typed.line(
                        "import",
                        Some(ended.failed_output),
                        |id| !NOT_FOR_FAILED_ROWS.contains(&id),
                        &[],
                    ),
                ));
            }
            if ended.undo_log {
                steps.push(step(
                    "To undo this import".into(),
                    typed.line(
                        "undo",
                        Some(ended.results),
                        |id| CONNECTION.contains(&id),
                        &[],
                    ),
                ));
            }
        }
    }
    steps
}

/// The next steps after `undo`: continue it when it stopped (it reads before it writes, so a
/// second run does only what is left), write what it only showed, or try the failed writes
/// again.
pub(crate) fn after_undo(
    typed: Option<&Typed>,
    stopped: bool,
    yes: bool,
    would: u64,
    failed: u64,
) -> Vec<NextStep> {
    let Some(typed) = typed else {
        return Vec::new();
    };
    let step = |what: &str, command: String| NextStep {
        what: what.into(),
        command,
    };
    if stopped {
        vec![step("To continue", typed.again(&[]))]
    } else if !yes && would > 0 {
        vec![step("To undo these writes", typed.again(&["--yes"]))]
    } else if yes && failed > 0 {
        vec![step("To try the failed writes again", typed.again(&[]))]
    } else {
        Vec::new()
    }
}

/// `word` as a POSIX shell reads it back: as it is when plain, else in single quotes.
fn shell_quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./:=,@+-%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(line: &str) -> Typed {
        let words: Vec<String> = line.split(' ').map(str::to_string).collect();
        Typed::parse(&words).expect("a command")
    }

    /// The options are told apart by the program's own: values follow their option, whether
    /// as the next word or after `=`, and the file is the word that is neither.
    #[test]
    fn parses_options_and_the_file() {
        let t = typed("ecwid-import -q import --rate=60 -o out.csv in.csv --store-id 7 --batch");
        assert_eq!(t.global, ["-q"]);
        assert_eq!(t.file.as_deref(), Some("in.csv"));
        let ids: Vec<&str> = t.options.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["rate", "output", "store_id", "batch"]);
        assert_eq!(
            t.line("undo", Some("out.csv"), |id| CONNECTION.contains(&id), &[]),
            "ecwid-import -q undo out.csv --rate=60 --store-id 7"
        );
    }

    /// A file named like an option, given after `--`, stays a file in the commands made.
    #[test]
    fn a_file_named_like_an_option_comes_after_the_double_dash() {
        let t = typed("ecwid-import import --store-id 7 -- -in.csv");
        assert_eq!(t.file.as_deref(), Some("-in.csv"));
        assert_eq!(
            t.again(&["--resume"]),
            "ecwid-import import --store-id 7 --resume -- -in.csv"
        );
    }

    /// A path with a space or a quote is quoted so that a shell reads it back whole.
    #[test]
    fn quotes_what_a_shell_would_split() {
        assert_eq!(shell_quote("my file.csv"), "'my file.csv'");
        assert_eq!(shell_quote("o'neil.csv"), "'o'\\''neil.csv'");
        assert_eq!(shell_quote("plain-name_1.csv"), "plain-name_1.csv");
        assert_eq!(shell_quote(""), "''");
    }
}
