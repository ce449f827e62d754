//! One flag of the command line, declared as a value: its names, what it
//! takes, the values it knows and its one-line doc. Parsing, help,
//! completions, suggestions and the man page all read these fields; nothing
//! else spells a flag out.

/// What a flag takes on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    /// `--x`: present or not.
    Switch,
    /// `--x` is true, `--no-x` false, absent leaves the default.
    Negatable,
    /// `-v -v` or `-vv`: how many times.
    Count,
    /// `--x VALUE` (or `--x=VALUE`); given twice, the last one wins.
    Value,
    /// `--x PATH`: a local file, completed as one.
    Path,
    /// `--x A,B` and repeatable: the items of every occurrence, in order.
    List,
    /// `--x VALUE`, repeatable, each occurrence one value (`--config K=V`).
    Repeated,
}

/// A flag: `-o, --output FILE   write the result to FILE`.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    /// The long name, with its dashes: `--output`.
    pub long: &'static str,
    /// The one-letter name, if any: `-o`.
    pub short: Option<&'static str>,
    pub takes: Takes,
    /// The value's placeholder in help (`FILE`); empty for a switch.
    pub placeholder: &'static str,
    /// The values it knows, for completions and "did you mean".
    pub choices: &'static [&'static str],
    /// Whether `choices` is the whole set (values of `aai`'s own, such as
    /// `--format`): anything else is refused. Otherwise they are the values
    /// known today and the service decides on the rest.
    pub closed: bool,
    pub doc: &'static str,
}

impl Flag {
    /// A switch.
    pub const fn switch(long: &'static str, doc: &'static str) -> Flag {
        Flag {
            long,
            short: None,
            takes: Takes::Switch,
            placeholder: "",
            choices: &[],
            closed: false,
            doc,
        }
    }

    /// A flag taking `takes` (not a switch), shown as `long PLACEHOLDER`.
    pub const fn valued(
        long: &'static str,
        takes: Takes,
        placeholder: &'static str,
        doc: &'static str,
    ) -> Flag {
        Flag {
            long,
            short: None,
            takes,
            placeholder,
            choices: &[],
            closed: false,
            doc,
        }
    }

    /// The same flag with a one-letter name too.
    pub const fn short(self, short: &'static str) -> Flag {
        Flag {
            short: Some(short),
            ..self
        }
    }

    /// The same flag taking only these values.
    pub const fn only(self, choices: &'static [&'static str]) -> Flag {
        Flag {
            choices,
            closed: true,
            ..self
        }
    }

    /// The same flag knowing these values, the service deciding on others.
    pub const fn knows(self, choices: &'static [&'static str]) -> Flag {
        Flag {
            choices,
            closed: false,
            ..self
        }
    }

    /// Whether the next word is this flag's value.
    pub fn takes_value(&self) -> bool {
        !matches!(self.takes, Takes::Switch | Takes::Negatable | Takes::Count)
    }

    /// The `--no-x` name of a negatable flag.
    pub fn negated(&self) -> Option<String> {
        (self.takes == Takes::Negatable).then(|| format!("--no-{}", &self.long[2..]))
    }

    /// Every spelling, short first, `--no-x` last.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.short.iter().map(|s| (*s).to_owned()).collect();
        names.push(self.long.to_owned());
        names.extend(self.negated());
        names
    }

    /// Whether `name` (`-o`, `--output`, `--no-x`) is one of this flag's.
    pub fn is_named(&self, name: &str) -> bool {
        self.long == name || self.short == Some(name) || self.negated().as_deref() == Some(name)
    }

    /// How help shows it: `-o, --output FILE` or `--x, --no-x`.
    pub fn usage(&self) -> String {
        let names = self.names().join(", ");
        match self.takes_value() {
            true => format!("{names} {}", self.placeholder),
            false => names,
        }
    }

    /// Whether its value names a local file.
    pub fn takes_path(&self) -> bool {
        self.takes == Takes::Path
    }

    /// Whether its value is a comma-separated list.
    pub fn takes_list(&self) -> bool {
        self.takes == Takes::List
    }
}
