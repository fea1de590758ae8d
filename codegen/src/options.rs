//! Every generation option, declared once: the [`Options`] fields, the [`Builder`] methods
//! and the `specbind` CLI flags all come from the list below, so they cannot drift apart
//! (bindgen keeps its builder and CLI in step the same way).
//!
//! [`Builder`]: crate::Builder

/// One boolean option, as the CLI and reports show it.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    /// Field and builder method name (`enum_fallback`).
    pub name: &'static str,
    /// The CLI flag (`enum-fallback`, used as `--enum-fallback[=true|false]`).
    pub cli: &'static str,
    /// What it does.
    pub help: &'static str,
    /// The default value.
    pub default: bool,
    /// Sets the option.
    pub set: fn(&mut Options, bool),
    /// Reads the option.
    pub get: fn(&Options) -> bool,
}

macro_rules! options {
    ($($(#[doc = $doc:literal])+ $name:ident ($cli:literal) = $default:literal;)+) => {
        /// What to generate. Every option is also a [`Builder`](crate::Builder) method and a
        /// flag of the `specbind` CLI of the same name.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct Options {
            $($(#[doc = $doc])+ pub $name: bool,)+
        }

        impl Default for Options {
            fn default() -> Self {
                Self { $($name: $default,)+ }
            }
        }

        impl Options {
            /// Every option, in declaration order.
            pub const FLAGS: &'static [Flag] = &[
                $(Flag {
                    name: stringify!($name),
                    cli: $cli,
                    help: concat!($($doc),+),
                    default: $default,
                    set: |o, v| o.$name = v,
                    get: |o| o.$name,
                },)+
            ];
        }

        impl crate::Builder {
            $(
                $(#[doc = $doc])+
                #[doc = concat!("\n\nDefault: `", stringify!($default), "`.")]
                pub fn $name(mut self, on: bool) -> Self {
                    self.options.$name = on;
                    self
                }
            )+
        }
    };
}

options! {
    /// Emit models: serde types with `validate()`.
    models("models") = true;
    /// Give every string enum an `Unknown(String)` variant so unknown values still
    /// deserialize; `validate()` still reports them.
    enum_fallback("enum-fallback") = false;
    /// Emit an axum server routing every operation that has `x-bind-server` to its function.
    server("server") = false;
    /// Route operations that have no `x-bind-server` to a 501 answer instead of leaving them
    /// out (what users of klue-style servers expect when they migrate).
    not_implemented("not-implemented") = false;
    /// Bind every operation that has no `x-bind-server` / `x-bind-client` under its Rust name
    /// (from its operationId, or its method and path): the server calls
    /// `crate::handlers::<name>`, the client gets a method `<name>`. For specs nobody here wrote.
    bind_all("bind-all") = false;
    /// Emit load/save/delete/list for every schema with `x-persist`, over the runtime's
    /// persistence backends (its `sqlite` or `postgres` feature).
    persist("persist") = true;
    /// Emit a reqwest client with a method for every operation that has `x-bind-client`.
    client("client") = false;
    /// Refuse a request body that sets a `readOnly` property (a 400 naming it) instead of
    /// ignoring the property.
    reject_read_only("reject-read-only") = false;
    /// Refuse specs with defects (a dangling `$ref`, path parameters that do not match the
    /// template, ...) instead of generating a repaired result with a warning for each: for
    /// teams whose spec is their own.
    strict("strict") = false;
}

#[cfg(test)]
mod tests {
    use super::Options;

    #[test]
    fn flags_set_and_get_their_own_field() {
        for flag in Options::FLAGS {
            let mut o = Options::default();
            assert_eq!((flag.get)(&o), flag.default, "{}", flag.name);
            (flag.set)(&mut o, !flag.default);
            assert_eq!((flag.get)(&o), !flag.default, "{}", flag.name);
            let changed = Options::FLAGS
                .iter()
                .filter(|f| (f.get)(&o) != f.default)
                .count();
            assert_eq!(changed, 1, "setting {} changed another option", flag.name);
            assert_eq!(
                flag.cli,
                flag.name.replace('_', "-"),
                "the CLI flag is the kebab form"
            );
        }
    }
}
