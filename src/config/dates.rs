//! Calendar dates in the config. TOML has a date type (`2027-03-01`), and that is
//! what the examples write; the same date in quotes is accepted too, because people
//! (and scripts that fill in `fitsm-pack todo` examples) write it that way, and a
//! date is no less a date for being quoted. The validator checks that it is a date
//! without a time.

use std::fmt;
use std::ops::Deref;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use toml::value::Datetime;

/// A date as written: a TOML date or a quoted `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date(pub Datetime);

impl Deref for Date {
    type Target = Datetime;
    fn deref(&self) -> &Datetime {
        &self.0
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl<'de> Visitor<'de> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date such as 2027-03-01")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Date, E> {
                text.trim()
                    .parse::<Datetime>()
                    .map(Date)
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(text), &self))
            }
            // toml hands a TOML date over as a one-entry map; Datetime knows how to read it.
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Date, M::Error> {
                Datetime::deserialize(de::value::MapAccessDeserializer::new(map)).map(Date)
            }
        }
        deserializer.deserialize_any(DateVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Holder {
        day: Date,
    }

    #[test]
    fn a_toml_date_and_a_quoted_one_are_the_same_date() {
        let bare: Holder = toml::from_str("day = 2027-03-01").expect("bare date");
        let quoted: Holder = toml::from_str("day = \"2027-03-01\"").expect("quoted date");
        assert_eq!(bare.day, quoted.day);
        assert_eq!(bare.day.to_string(), "2027-03-01");
        assert!(toml::from_str::<Holder>("day = \"next week\"").is_err());
    }
}
