//! Composite operations: two calls, the second fed from the first's answer.

use super::*;

impl ApiChecker<'_> {
    pub(super) fn check_composites(&mut self) {
        let file = self.file;
        for (name, composite) in &file.spec.composites {
            let at = |key: &str| path!["composites", name, key];
            if !ident::is_snake(name) {
                self.push(file.at_key(
                    &path!["composites", name],
                    Code::BadName,
                    format!("composite name `{name}` must be snake_case"),
                ));
            }
            url(file, &at("source"), &composite.source, self.out);
            let mut step = |key: &str, op: &str| -> Option<&OperationDef> {
                let found = file.spec.operations.get(op);
                if found.is_none() {
                    let diagnostic = unknown(
                        file.at(
                            &at(key),
                            Code::UnknownReference,
                            format!("operation `{op}` is not defined under `operations`"),
                        ),
                        op,
                        file.spec.operations.keys(),
                    );
                    self.out.push(diagnostic);
                }
                found
            };
            let first = step("first", &composite.first);
            let then = step("then", &composite.then);
            let (Some(first), Some(then)) = (first, then) else {
                continue;
            };
            // The second step takes the first step's path parameters, by name.
            let first_params: BTreeSet<&String> = first
                .params
                .iter()
                .filter(|(_, param)| param.location == ParamLocation::Path)
                .map(|(wire, _)| wire)
                .collect();
            for (wire, param) in &then.params {
                if param.location == ParamLocation::Path && !first_params.contains(wire) {
                    self.push(file.at(
                        &at("then"),
                        Code::InvalidValue,
                        format!(
                            "`{}` has path parameter `{wire}`, which `{}` does not take",
                            composite.then, composite.first
                        ),
                    ));
                } else if param.location == ParamLocation::Query && param.required {
                    self.push(file.at(
                        &at("then"),
                        Code::InvalidValue,
                        format!(
                            "`{}` requires query parameter `{wire}`, which a composite cannot supply",
                            composite.then
                        ),
                    ));
                }
            }
            // What one item of the first answer is.
            let item = match first.response.ty.get() {
                Some(ResponseType::Json(TypeExpr::List(inner))) => inner.named().map(str::to_owned),
                Some(ResponseType::Json(TypeExpr::Named(name))) => Some(name.clone()),
                _ => None,
            };
            let Some(item_keys) = item
                .as_deref()
                .and_then(|name| file.spec.types.get(name))
                .and_then(|def| def.keys.as_ref())
            else {
                self.push(file.at(
                    &at("first"),
                    Code::BadType,
                    format!(
                        "`{}` must answer with an object or a list of objects",
                        composite.first
                    ),
                ));
                continue;
            };
            // Where the entries go in the second body.
            let body_keys = then
                .body
                .as_ref()
                .and_then(|body| body.json.as_ref())
                .and_then(|json| file.spec.types.get(json.type_name()?))
                .and_then(|def| def.keys.as_ref());
            let Some(body_keys) = body_keys else {
                self.push(file.at(
                    &at("then"),
                    Code::BadType,
                    format!(
                        "`{}` must take a JSON body of an object type",
                        composite.then
                    ),
                ));
                continue;
            };
            let feed_at = |key: &str| path!["composites", name, "feed", key];
            let entry_keys = match body_keys
                .get(&composite.feed.list)
                .and_then(|key| key.ty.get())
            {
                Some(TypeExpr::List(inner)) => inner
                    .named()
                    .and_then(|entry| file.spec.types.get(entry))
                    .and_then(|def| def.keys.as_ref()),
                _ => None,
            };
            let Some(entry_keys) = entry_keys else {
                self.push(file.at(
                    &feed_at("list"),
                    Code::BadType,
                    format!(
                        "`{}` must be a key of `{}`'s body holding a list of objects",
                        composite.feed.list, composite.then
                    ),
                ));
                continue;
            };
            for (index, key) in composite.feed.copy.iter().enumerate() {
                let copy_at = path!["composites", name, "feed", "copy", index];
                match (item_keys.get(key), entry_keys.get(key)) {
                    (Some(from), Some(_)) if from.tolerant => self.push(file.at(
                        &copy_at,
                        Code::BadType,
                        format!(
                            "`{key}` is tolerant in the answer, so it may hold no value to copy; \
                             drop `tolerant` or do not copy it"
                        ),
                    )),
                    (Some(from), Some(to)) if from.ty == to.ty => {}
                    (Some(from), Some(to)) => self.push(file.at(
                        &copy_at,
                        Code::BadType,
                        format!(
                            "`{key}` is `{}` in the answer but `{}` in the entry",
                            from.ty, to.ty
                        ),
                    )),
                    _ => self.push(file.at(
                        &copy_at,
                        Code::UnknownReference,
                        format!("`{key}` must be a key of both the answer item and the entry"),
                    )),
                }
            }
            for (key, value) in &composite.feed.set {
                let set_at = path!["composites", name, "feed", "set", key];
                match entry_keys.get(key) {
                    None => self.push(file.at_key(
                        &set_at,
                        Code::UnknownReference,
                        format!("`{key}` is not a key of the entry"),
                    )),
                    Some(def) => {
                        if let Some(problem) = self.default_problem(&def.ty, value) {
                            self.push(file.at(&set_at, Code::InvalidValue, problem));
                        }
                    }
                }
            }
        }
    }
}
