//! Successful answers: status and type, empty answers, per-item outcomes and paging.

use super::*;

impl ApiChecker<'_> {
    pub(super) fn check_response(&mut self, name: &str, operation: &OperationDef) {
        let file = self.file;
        let response = &operation.response;
        let at = path!["operations", name, "response", "type"];
        if !(200..=299).contains(&response.status) {
            self.push(file.at(
                &path!["operations", name, "response", "status"],
                Code::InvalidValue,
                format!(
                    "a successful answer has a 2xx status, not {}",
                    response.status
                ),
            ));
        }
        let binary = response.ty.get() == Some(&ResponseType::Binary);
        let mut object = false;
        let json = match (response.ty.get(), response.ty.error()) {
            (Some(ResponseType::Json(expr)), _) => self.check_expr(&at, expr, TypeContext::Key),
            (_, Some(message)) => {
                self.push(file.at(&at, Code::BadType, message));
                None
            }
            _ => None,
        };
        if !binary {
            match json {
                Some(TypeExpr::Named(type_name)) => {
                    object = self.is_object(type_name);
                    if !object {
                        self.push(file.at(
                            &at,
                            Code::BadType,
                            format!(
                                "the response type `{type_name}` must be an object (with `keys`)"
                            ),
                        ));
                    }
                }
                Some(TypeExpr::List(inner)) if matches!(**inner, TypeExpr::Named(_)) => {}
                Some(_) => self.push(file.at(
                    &at,
                    Code::BadType,
                    "the response type must be an object type, `list<Type>` or `binary`",
                )),
                None => {}
            }
        }
        if !binary && !response.content_types.is_empty() {
            self.push(file.at_key(
                &path!["operations", name, "response", "content_types"],
                Code::BadType,
                "`content_types` describes `binary` answers only",
            ));
        }
        if let Some(empty) = &response.empty {
            let empty_at = |key: &str| path!["operations", name, "response", "empty", key];
            if !(200..=299).contains(&empty.status) || empty.status == response.status {
                self.push(file.at(
                    &empty_at("status"),
                    Code::InvalidValue,
                    format!(
                        "an empty success needs a 2xx status other than {}, not {}",
                        response.status, empty.status
                    ),
                ));
            }
            if empty.yields == crate::load::model::EmptyYield::Default && !object {
                self.push(file.at(
                    &empty_at("yields"),
                    Code::BadType,
                    "`yields: default` needs an object response type; use `none`",
                ));
            }
        }
    }

    /// `outcomes` must name keys the answer's types have: the list of outcomes (when given)
    /// holding objects, and the status key of each, a string; `per` a required list
    /// parameter of the query.
    pub(super) fn check_outcomes(&mut self, name: &str, operation: &OperationDef) {
        let file = self.file;
        let Some(outcomes) = &operation.response.outcomes else {
            return;
        };
        let at = |key: &str| path!["operations", name, "response", "outcomes", key];
        let keys_of = |type_name: &str| {
            file.spec
                .types
                .get(type_name)
                .and_then(|def| def.keys.as_ref())
        };
        let answer = operation
            .response
            .object_type()
            .and_then(|answer| keys_of(answer).map(|keys| (answer.to_owned(), keys)));
        let Some((answer, answer_keys)) = answer else {
            self.push(file.at_key(
                &path!["operations", name, "response", "outcomes"],
                Code::BadType,
                "outcomes need an object answer",
            ));
            return;
        };
        let item = match &outcomes.list {
            None => Some((answer, answer_keys)),
            Some(list) => {
                let item = answer_keys
                    .get(list)
                    .and_then(|key| key.ty.get())
                    .and_then(|ty| match ty {
                        TypeExpr::List(inner) => inner.named().map(str::to_owned),
                        _ => None,
                    })
                    .and_then(|item| keys_of(&item).map(|keys| (item, keys)));
                if item.is_none() {
                    self.push(file.at(
                        &at("list"),
                        Code::BadType,
                        format!("`{list}` must be a key of `{answer}` holding a list of objects"),
                    ));
                }
                item
            }
        };
        if let Some((item, item_keys)) = item
            && item_keys
                .get(&outcomes.key)
                .is_none_or(|key| key.ty.get() != Some(&TypeExpr::String))
        {
            self.push(file.at(
                &at("key"),
                Code::BadType,
                format!("`{}` must be a string key of `{item}`", outcomes.key),
            ));
        }
        non_empty(file, &at("success"), &outcomes.success, self.out);
        if let Some(per) = &outcomes.per {
            let ok = operation.params.get(per).is_some_and(|def| {
                def.location == ParamLocation::Query
                    && def.required
                    && matches!(
                        def.ty.get(),
                        Some(TypeExpr::List(inner))
                            if matches!(**inner, TypeExpr::String | TypeExpr::Integer)
                    )
            });
            if !ok {
                self.push(file.at(
                    &at("per"),
                    Code::BadType,
                    format!("`{per}` must be a required list query parameter of the operation"),
                ));
            }
            if outcomes.list.is_none() {
                self.push(file.at_key(
                    &at("per"),
                    Code::BadType,
                    "`per` needs a `list` of outcomes, one per item",
                ));
            }
            // `send` then answers outcomes, which neither pages nor has an empty value.
            if operation.paging.is_some() || operation.response.empty.is_some() {
                self.push(file.at_key(
                    &at("per"),
                    Code::BadType,
                    "`per` cannot be combined with `paging` or an `empty` success",
                ));
            }
        }
    }

    pub(super) fn check_paging(&mut self, name: &str, operation: &OperationDef) {
        let file = self.file;
        let Some(paging) = &operation.paging else {
            return;
        };
        let at = |key: &str| path!["operations", name, "paging", key];
        let answer = operation
            .response
            .object_type()
            .and_then(|answer| file.spec.types.get(answer))
            .and_then(|def| def.keys.as_ref());
        let Some(answer) = answer else {
            self.push(file.at_key(
                &path!["operations", name, "paging"],
                Code::BadType,
                "paging needs an object answer with item and info keys",
            ));
            return;
        };
        match answer.get(&paging.items).and_then(|key| key.ty.get()) {
            Some(TypeExpr::List(inner)) if inner.named().is_some() => {}
            _ => self.push(file.at(
                &at("items"),
                Code::BadType,
                format!(
                    "`{}` must be a key of the answer holding a list of objects",
                    paging.items
                ),
            )),
        }
        let info = answer
            .get(&paging.info)
            .and_then(|key| key.ty.get())
            .and_then(|ty| ty.named())
            .and_then(|info| file.spec.types.get(info))
            .and_then(|def| def.keys.as_ref());
        match info {
            None => self.push(file.at(
                &at("info"),
                Code::BadType,
                format!(
                    "`{}` must be a key of the answer holding an object",
                    paging.info
                ),
            )),
            Some(info) => {
                let wants = [
                    ("more_records", TypeExpr::Boolean, true),
                    ("page", TypeExpr::Integer, paging.page_param.is_some()),
                    (
                        "next_page_token",
                        TypeExpr::String,
                        paging.token_param.is_some(),
                    ),
                ];
                for (key, ty, needed) in wants {
                    if needed && info.get(key).is_none_or(|def| def.ty.get() != Some(&ty)) {
                        self.push(file.at(
                            &at("info"),
                            Code::BadType,
                            format!("the info object needs `{key}` of type {ty} to page"),
                        ));
                    }
                }
            }
        }
        for (key, param, ty) in [
            ("page_param", &paging.page_param, TypeExpr::Integer),
            ("token_param", &paging.token_param, TypeExpr::String),
        ] {
            let Some(param) = param else { continue };
            let ok = operation.params.get(param).is_some_and(|def| {
                def.location == ParamLocation::Query && !def.required && def.ty.get() == Some(&ty)
            });
            if !ok {
                self.push(file.at(
                    &at(key),
                    Code::BadType,
                    format!("`{param}` must be an optional {ty} query parameter of the operation"),
                ));
            }
        }
        if paging.page_param.is_none() && paging.token_param.is_none() {
            self.push(file.at_key(
                &path!["operations", name, "paging"],
                Code::BadType,
                "paging needs `page_param`, `token_param` or both",
            ));
        }
    }
}
