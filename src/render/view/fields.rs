//! The entries of a whole-pack list with only the fields a template can read.
//!
//! A whole-pack document (the catalogue, the capacity plan, the register of
//! documents …) gets the lists of every service, supplier, customer and document.
//! An entry with all its fields is large: a service carries its customers with their
//! contacts, its suppliers, what it depends on and what uses it. `render::reads`
//! finds the field names a template mentions; an entry here keeps those of its own
//! fields and leaves out the rest, so a copy of the lists costs what the document
//! shows. Only an entry's own fields are chosen: what a kept field holds is kept
//! whole (its truthiness, its length and the keys of its maps stay what they were).

use std::collections::BTreeSet;

use serde::Serialize;
use serde::ser::{self, Impossible, SerializeStruct};
use serde_json::{Map, Value};

use crate::render::reads::Fields;

/// Every item of `items`, each with only the fields `fields` keeps.
pub(super) fn entries<'i, T: Serialize + 'i>(
    items: impl IntoIterator<Item = &'i T>,
    fields: &Fields,
) -> serde_json::Result<Value> {
    items.into_iter().map(|item| entry(item, fields)).collect::<Result<Vec<_>, _>>().map(Value::Array)
}

/// `item` as JSON with only the fields `fields` keeps. A struct is serialised field
/// by field, so a field left out is never made; anything else (a struct with a
/// flattened part serialises as a map) is made whole and its keys are then dropped.
pub(super) fn entry<T: Serialize>(item: &T, fields: &Fields) -> serde_json::Result<Value> {
    let Some(keep) = fields.names() else { return serde_json::to_value(item) };
    if let Ok(value) = item.serialize(OwnFields { keep }) {
        return Ok(value);
    }
    let mut value = serde_json::to_value(item)?;
    if let Value::Object(object) = &mut value {
        object.retain(|key, _| keep.contains(key));
    }
    Ok(value)
}

/// A serializer for a struct that keeps only the fields named in `keep`; anything
/// but a struct is refused (and [`entry`] takes the slow way).
struct OwnFields<'k> {
    keep: &'k BTreeSet<String>,
}

/// The struct being serialised by [`OwnFields`].
struct Kept<'k> {
    object: Map<String, Value>,
    keep: &'k BTreeSet<String>,
}

impl SerializeStruct for Kept<'_> {
    type Ok = Value;
    type Error = serde_json::Error;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> serde_json::Result<()> {
        if self.keep.contains(key) {
            self.object.insert(key.to_owned(), serde_json::to_value(value)?);
        }
        Ok(())
    }

    fn end(self) -> serde_json::Result<Value> {
        Ok(Value::Object(self.object))
    }
}

fn not_a_struct() -> serde_json::Error {
    ser::Error::custom("not a struct")
}

/// The methods of [`OwnFields`] that refuse: `name(argument types)`.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> serde_json::Result<Value> { Err(not_a_struct()) })*
    };
}

impl<'k> ser::Serializer for OwnFields<'k> {
    type Ok = Value;
    type Error = serde_json::Error;
    type SerializeSeq = Impossible<Value, serde_json::Error>;
    type SerializeTuple = Impossible<Value, serde_json::Error>;
    type SerializeTupleStruct = Impossible<Value, serde_json::Error>;
    type SerializeTupleVariant = Impossible<Value, serde_json::Error>;
    type SerializeMap = Impossible<Value, serde_json::Error>;
    type SerializeStruct = Kept<'k>;
    type SerializeStructVariant = Impossible<Value, serde_json::Error>;

    fn serialize_struct(self, _: &'static str, len: usize) -> serde_json::Result<Kept<'k>> {
        Ok(Kept { object: Map::with_capacity(len.min(self.keep.len())), keep: self.keep })
    }

    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> serde_json::Result<Value> {
        Err(not_a_struct())
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, _: &T) -> serde_json::Result<Value> {
        Err(not_a_struct())
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> serde_json::Result<Value> {
        Err(not_a_struct())
    }

    fn serialize_seq(self, _: Option<usize>) -> serde_json::Result<Self::SerializeSeq> {
        Err(not_a_struct())
    }

    fn serialize_tuple(self, _: usize) -> serde_json::Result<Self::SerializeTuple> {
        Err(not_a_struct())
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> serde_json::Result<Self::SerializeTupleStruct> {
        Err(not_a_struct())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> serde_json::Result<Self::SerializeTupleVariant> {
        Err(not_a_struct())
    }

    fn serialize_map(self, _: Option<usize>) -> serde_json::Result<Self::SerializeMap> {
        Err(not_a_struct())
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> serde_json::Result<Self::SerializeStructVariant> {
        Err(not_a_struct())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Service<'a> {
        id: &'a str,
        name: &'a str,
        customers: Vec<&'a str>,
        owner: Option<Person<'a>>,
    }

    #[derive(Serialize)]
    struct Person<'a> {
        name: &'a str,
        email: &'a str,
    }

    #[derive(Serialize)]
    struct Flattened<'a> {
        #[serde(flatten)]
        service: Service<'a>,
        extra: u8,
    }

    fn keeping(names: &[&str]) -> Fields {
        Fields::named(names.iter().map(|n| (*n).to_owned()).collect())
    }

    fn service() -> Service<'static> {
        Service { id: "s1", name: "Mail", customers: vec!["c1"], owner: Some(Person { name: "Ann", email: "a@x" }) }
    }

    #[test]
    fn an_entry_keeps_the_fields_named_and_what_they_hold_whole() {
        let value = entry(&service(), &keeping(&["id", "owner"])).expect("serialises");
        assert_eq!(value, serde_json::json!({"id": "s1", "owner": {"name": "Ann", "email": "a@x"}}));
        assert_eq!(
            entry(&service(), &Fields::ALL).expect("serialises"),
            serde_json::to_value(service()).expect("json")
        );
    }

    #[test]
    fn a_flattened_struct_is_made_whole_then_trimmed() {
        let value = entry(&Flattened { service: service(), extra: 1 }, &keeping(&["name", "extra"])).expect("ok");
        assert_eq!(value, serde_json::json!({"name": "Mail", "extra": 1}));
        let list = entries([&service(), &service()], &keeping(&["customers"])).expect("serialises");
        assert_eq!(list, serde_json::json!([{"customers": ["c1"]}, {"customers": ["c1"]}]));
    }
}
