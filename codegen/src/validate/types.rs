//! Types: objects' keys and enumerations' values, and key defaults.

use super::*;

impl ApiChecker<'_> {
    pub(super) fn check_types(&mut self) {
        let file = self.file;
        for (name, def) in &file.spec.types {
            let at = path!["types", name];
            if !is_type_name(name) {
                self.push(file.at_key(
                    &at,
                    Code::BadName,
                    format!("type name `{name}` must be CamelCase"),
                ));
            }
            match (&def.keys, &def.values) {
                (Some(keys), None) => self.check_keys(&at, keys),
                (None, Some(values)) => self.check_values(name, values),
                _ => self.push(
                    file.at_key(
                        &at,
                        Code::InvalidValue,
                        format!("type `{name}` needs exactly one of `keys` (an object) or `values` (an enumeration)"),
                    ),
                ),
            }
        }
    }

    pub(super) fn check_keys(&mut self, at: &[Segment], keys: &indexmap::IndexMap<String, KeyDef>) {
        let file = self.file;
        for (key, def) in keys {
            let mut key_at = at.to_vec();
            key_at.extend(path!["keys", key]);
            let mut type_at = key_at.clone();
            type_at.push(Segment::from("type"));
            self.check_type(&type_at, &def.ty, TypeContext::Key);
            if def.tolerant && !def.ty.get().is_none_or(TypeExpr::is_tolerable) {
                let mut tolerant_at = key_at.clone();
                tolerant_at.push(Segment::from("tolerant"));
                self.push(file.at(
                    &tolerant_at,
                    Code::BadType,
                    format!(
                        "`{}` cannot be tolerant: only string, integer, number, boolean and \
                         datetime keys keep a raw value",
                        def.ty
                    ),
                ));
            }
            if let Some(default) = &def.default {
                let mut default_at = key_at.clone();
                default_at.push(Segment::from("default"));
                if let Some(problem) = self.default_problem(&def.ty, default) {
                    self.push(file.at(&default_at, Code::InvalidValue, problem));
                }
            }
        }
    }

    pub(super) fn check_values(&mut self, name: &str, values: &[crate::load::model::EnumValueDef]) {
        let file = self.file;
        if values.is_empty() {
            self.push(file.at(
                &path!["types", name, "values"],
                Code::EnumValues,
                format!("enumeration `{name}` has no values"),
            ));
            return;
        }
        let mut seen_values = BTreeSet::new();
        let integers = matches!(values[0].value, ScalarValue::Integer(_));
        for (index, value) in values.iter().enumerate() {
            let at = path!["types", name, "values", index];
            if matches!(value.value, ScalarValue::Integer(_)) != integers {
                self.push(file.at(
                    &at,
                    Code::EnumValues,
                    "all values of an enumeration must be integers, or all strings",
                ));
            }
            if !seen_values.insert(format!("{:?}", value.value)) {
                self.push(file.at(&at, Code::EnumValues, "this value is listed twice"));
            }
            if !is_type_name(&value.name) {
                self.push(file.at(
                    &path!["types", name, "values", index, "name"],
                    Code::BadName,
                    format!("variant name `{}` must be CamelCase", value.name),
                ));
            }
        }
    }

    /// Why `value` cannot be the default of a key of type `ty`, if it cannot.
    pub(super) fn default_problem(
        &self,
        ty: &Parsed<TypeExpr>,
        value: &ScalarValue,
    ) -> Option<String> {
        let expr = ty.get()?;
        let fits = match (expr, value) {
            (TypeExpr::Integer, ScalarValue::Integer(_))
            | (TypeExpr::String, ScalarValue::String(_)) => true,
            (TypeExpr::Named(name), value) => self
                .file
                .spec
                .types
                .get(name.as_str())
                .and_then(|def| def.values.as_ref())
                .is_some_and(|values| values.iter().any(|known| &known.value == value)),
            _ => false,
        };
        (!fits).then(|| {
            format!("a default must be an integer or string of the key's type, or a known value of its enumeration; `{ty}` does not take {value:?}")
        })
    }
}
