//! The macro behind every coded vocabulary (taxonomy dimensions, bodies, outcomes):
//! one line per value with its stable code and its Japanese and English labels.

/// Declares a `Copy` enum whose values carry a stable snake_case code (also their serde
/// name) and a bilingual label, with `ALL`, `code`, `parse`, `text` and `label`.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $var:ident = $code:literal, $ja:literal, $en:literal; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $var, )*
        }

        impl $name {
            /// Every value, in the order forms and documents list them.
            pub const ALL: &'static [Self] = &[$(Self::$var),*];

            /// The stable machine code (snake_case), also the serde name.
            pub fn code(self) -> &'static str {
                match self { $(Self::$var => $code),* }
            }

            /// The value for a code; `None` for anything else.
            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some(Self::$var),)* _ => None }
            }

            /// Both labels.
            pub fn text(self) -> $crate::Text {
                match self { $(Self::$var => $crate::Text::new($ja, $en)),* }
            }

            /// The label in `lang`.
            pub fn label(self, lang: $crate::Lang) -> &'static str {
                self.text().get(lang)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

pub(crate) use coded_enum;
