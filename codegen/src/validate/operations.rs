//! Operations: route, parameters, body, and the sample answer.

use super::*;

impl ApiChecker<'_> {
    pub(super) fn check_operation(&mut self, name: &str, operation: &OperationDef) {
        let file = self.file;
        let at = path!["operations", name];
        if !ident::is_snake(name) {
            self.push(file.at_key(
                &at,
                Code::BadName,
                format!("operation name `{name}` must be snake_case"),
            ));
        }
        url(
            file,
            &path!["operations", name, "source"],
            &operation.source,
            self.out,
        );
        if !METHODS.contains(&operation.method.as_str()) {
            let diagnostic = unknown(
                file.at(
                    &path!["operations", name, "method"],
                    Code::BadMethod,
                    format!("`{}` is not an HTTP method Zoho uses", operation.method),
                ),
                &operation.method,
                METHODS.iter().copied(),
            );
            self.push(diagnostic);
        }
        self.check_effect(name, operation);
        let uses_module = self.check_params(name, operation);
        self.check_body(name, operation);
        self.check_scopes(name, operation, uses_module);
        self.check_response(name, operation);
        self.check_outcomes(name, operation);
        self.check_paging(name, operation);
        self.check_errors(name, operation);
        if let Some(sample) = &operation.sample_response {
            match serde_json::from_str::<serde_json::Value>(sample) {
                Ok(_) => self.check_sample_shape(name, &operation.response.ty, sample),
                Err(error) => self.report_sample_json(name, sample, &error),
            }
        }
    }

    /// An `effect` must fit the call's shape: the fake server acts on it, trusting that a
    /// download answers a file and an upload carries one.
    fn check_effect(&mut self, name: &str, operation: &OperationDef) {
        let Some(effect) = operation.effect else {
            return;
        };
        use crate::load::model::Effect::*;
        let (methods, body, answer): (&[&str], &str, &str) = match effect {
            ListAttachments => (&["GET"], "none", "json"),
            DownloadAttachment | GetPhoto => (&["GET"], "none", "binary"),
            AddAttachment | PutPhoto | StageFile => (&["POST", "PUT"], "multipart", "json"),
            AddStaged => (&["POST", "PUT"], "json", "json"),
            DeleteAttachment | DeleteAttachments | DeletePhoto => (&["DELETE"], "none", "json"),
        };
        let has_body = match &operation.body {
            None => "none",
            Some(body) if body.multipart.is_some() => "multipart",
            Some(_) => "json",
        };
        // A malformed type is reported by the response check.
        let has_answer = match operation.response.ty.get() {
            Some(ResponseType::Binary) => "binary",
            Some(ResponseType::Json(_)) => "json",
            None => return,
        };
        let per_item = operation
            .response
            .outcomes
            .as_ref()
            .is_some_and(|outcomes| outcomes.per.is_some());
        let mut wrong = Vec::new();
        if !methods.contains(&operation.method.as_str()) {
            wrong.push(format!(
                "method {}, not {}",
                operation.method,
                methods.join(" or ")
            ));
        }
        if has_body != body {
            wrong.push(format!("{has_body} body, not {body}"));
        }
        if has_answer != answer {
            wrong.push(format!("{has_answer} answer, not {answer}"));
        }
        match (effect == DeleteAttachments, per_item) {
            (true, false) => {
                wrong.push("no per-item outcomes (`response.outcomes.per`)".to_owned())
            }
            (false, true) => wrong.push("per-item outcomes (`response.outcomes.per`)".to_owned()),
            _ => {}
        }
        if !wrong.is_empty() {
            let spelled = effect.spelling();
            self.push(self.file.at(
                &path!["operations", name, "effect"],
                Code::Effect,
                format!(
                    "`effect: {spelled}` does not fit `{name}`: {}",
                    wrong.join("; ")
                ),
            ));
        }
    }

    /// Reports a sample that is not JSON, placed inside the YAML block that holds it.
    pub(super) fn report_sample_json(
        &mut self,
        name: &str,
        sample: &str,
        error: &serde_json::Error,
    ) {
        let file = self.file;
        let at = path!["operations", name, "sample_response"];
        // Point into the sample itself when it is a block scalar, as samples are.
        let (line, column) = line_and_column(sample, json_error_offset(sample, error));
        let location = file
            .map
            .inside_block(&at, line, column)
            .or_else(|| file.map.value(&at));
        self.push(
            Diagnostic::new(
                file.display_path.clone(),
                location,
                Code::SampleJson,
                format!(
                    "the sample response is not valid JSON: {}",
                    crate::load::yaml::strip_location_suffix(&error.to_string())
                ),
            )
            .with_hint(
                "keep the page's broken copy in `sample_response_verbatim` and a repaired one here, with a note",
            ),
        );
    }

    /// Reports where the page's sample answer departs from the declared response type.
    pub(super) fn check_sample_shape(
        &mut self,
        name: &str,
        response_type: &Parsed<ResponseType>,
        sample: &str,
    ) {
        let Some(expected) = response_type.get().and_then(ResponseType::json) else {
            return; // `binary`, or a type already reported as malformed
        };
        let file = self.file;
        let at = path!["operations", name, "sample_response"];
        for mismatch in sample::check(&file.spec.types, expected, sample) {
            let location = mismatch
                .offset
                .map(|offset| line_and_column(sample, offset))
                .and_then(|(line, column)| file.map.inside_block(&at, line, column))
                .or_else(|| file.map.value(&at));
            let subject = if mismatch.path.is_empty() {
                "the sample response".to_owned()
            } else {
                format!("the sample's `{}`", mismatch.path)
            };
            self.push(
                Diagnostic::new(
                    file.display_path.clone(),
                    location,
                    Code::SampleShape,
                    format!("{subject} {}", mismatch.message),
                )
                .with_hint(format!(
                    "fix the transcription, or the type `{response_type}`; if the page itself \
                     disagrees, keep its sample and add a note"
                )),
            );
        }
    }

    /// Checks parameters against the path template; returns whether a module parameter exists.
    pub(super) fn check_params(&mut self, name: &str, operation: &OperationDef) -> bool {
        let file = self.file;
        let template_at = path!["operations", name, "path"];
        // A template that does not parse says nothing about which parameters it holds, so the
        // cross-checks below are skipped rather than reported as false mismatches.
        let parsed: Option<Vec<&str>> = match (operation.path.get(), operation.path.error()) {
            (Some(template), _) => Some(template.params().collect()),
            (None, message) => {
                self.push(file.at(
                    &template_at,
                    Code::PathTemplate,
                    message.unwrap_or("malformed path"),
                ));
                None
            }
        };
        let template_ok = parsed.is_some();
        let placeholders = parsed.unwrap_or_default();
        let mut seen = BTreeSet::new();
        for placeholder in &placeholders {
            if !seen.insert(placeholder) {
                self.push(file.at(
                    &template_at,
                    Code::PathTemplate,
                    format!("`{{{placeholder}}}` appears twice in the path"),
                ));
            }
            match operation.params.get(*placeholder) {
                Some(param) if param.location == ParamLocation::Path => {}
                Some(_) => self.push(file.at(
                    &path!["operations", name, "params", *placeholder, "in"],
                    Code::PathTemplate,
                    format!("`{placeholder}` is in the path template but declared `in: query`"),
                )),
                None => {
                    let declared = operation
                        .params
                        .iter()
                        .filter(|(_, p)| p.location == ParamLocation::Path)
                        .map(|(n, _)| n.as_str());
                    let diagnostic = file.at(
                        &template_at,
                        Code::PathTemplate,
                        format!(
                            "path parameter `{{{placeholder}}}` is not declared under `params`"
                        ),
                    );
                    let diagnostic = match suggestion(placeholder, declared) {
                        Some(hint) => diagnostic.with_hint(hint),
                        None => diagnostic.with_hint(format!(
                            "add `{placeholder}: {{ in: path, type: string, doc: ... }}`"
                        )),
                    };
                    self.push(diagnostic);
                }
            }
        }

        let mut uses_module = false;
        for (param_name, param) in &operation.params {
            let at = path!["operations", name, "params", param_name];
            let context = match param.location {
                ParamLocation::Path => {
                    if template_ok && !placeholders.iter().any(|p| p == param_name) {
                        self.push(
                            file.at_key(
                                &at,
                                Code::PathTemplate,
                                format!(
                                    "path parameter `{param_name}` does not appear in the path `{}`",
                                    operation.path
                                ),
                            )
                            .with_hint(format!("add `{{{param_name}}}` to the path, or remove it")),
                        );
                    }
                    TypeContext::PathParam
                }
                ParamLocation::Query => TypeContext::QueryParam,
            };
            let mut type_at = at.clone();
            type_at.push(Segment::from("type"));
            let ty = self.check_type(&type_at, &param.ty, context);
            let field = |key: &str| {
                let mut path = at.clone();
                path.push(Segment::from(key));
                path
            };
            if let Some(set) = &param.set {
                if ty != Some(&TypeExpr::Module) {
                    self.push(file.at_key(
                        &field("set"),
                        Code::Module,
                        "`set` restricts a `type: module` parameter only",
                    ));
                } else if !file.spec.module_sets.contains_key(set) {
                    let diagnostic = unknown(
                        file.at(
                            &field("set"),
                            Code::UnknownReference,
                            format!("module set `{set}` is not defined under `module_sets`"),
                        ),
                        set,
                        file.spec.module_sets.keys(),
                    );
                    self.push(diagnostic);
                }
            }
            for (key, bound) in [("minimum", param.minimum), ("maximum", param.maximum)] {
                if bound.is_some() && ty.is_some() && ty != Some(&TypeExpr::Integer) {
                    self.push(file.at_key(
                        &field(key),
                        Code::BadType,
                        format!("`{key}` applies to integer parameters"),
                    ));
                }
            }
            if let (Some(min), Some(max)) = (param.minimum, param.maximum)
                && min > max
            {
                self.push(file.at(
                    &field("minimum"),
                    Code::InvalidValue,
                    format!("`minimum` {min} is above `maximum` {max}"),
                ));
            }
            if let Some(TypeExpr::Module) = ty {
                if uses_module {
                    self.push(file.at(
                        &type_at,
                        Code::Module,
                        "an operation can have only one module parameter",
                    ));
                }
                uses_module = true;
                if file.spec.modules.is_empty() {
                    self.push(
                        file.at(
                            &type_at,
                            Code::Module,
                            "`type: module` needs the file's `modules:` list, which is empty",
                        )
                        .with_hint("list the page's supported modules under `modules:`"),
                    );
                }
            }
        }
        uses_module
    }

    pub(super) fn check_body(&mut self, name: &str, operation: &OperationDef) {
        let file = self.file;
        let Some(body) = &operation.body else {
            return;
        };
        if operation.method == "GET" || operation.method == "DELETE" {
            self.push(file.at(
                &path!["operations", name, "body"],
                Code::Multipart,
                format!("a {} request has no body", operation.method),
            ));
        }
        match (&body.multipart, &body.json) {
            (Some(multipart), None) => self.check_multipart(name, multipart),
            (None, Some(json)) => {
                let at = path!["operations", name, "body", "json", "type"];
                if let Some(TypeExpr::Named(type_name)) =
                    self.check_type(&at, &json.ty, TypeContext::Key)
                    && !self.is_object(type_name)
                {
                    self.push(file.at(
                        &at,
                        Code::BadType,
                        format!(
                            "a JSON body must be an object type (with `keys`), not `{type_name}`"
                        ),
                    ));
                }
            }
            _ => self.push(file.at_key(
                &path!["operations", name, "body"],
                Code::Multipart,
                "a body is exactly one of `multipart` or `json`",
            )),
        }
    }

    pub(super) fn check_multipart(
        &mut self,
        name: &str,
        multipart: &crate::load::model::MultipartDef,
    ) {
        let file = self.file;
        let at = path!["operations", name, "body", "multipart"];
        if !is_type_name(&multipart.type_name) {
            self.push(file.at(
                &path!["operations", name, "body", "multipart", "type"],
                Code::BadName,
                format!("body type `{}` must be CamelCase", multipart.type_name),
            ));
        }
        if multipart.one_of.is_empty() {
            self.push(file.at(
                &at,
                Code::Multipart,
                "`one_of` needs at least one alternative",
            ));
        }
        if multipart.max_bytes == Some(0) {
            self.push(file.at(
                &path!["operations", name, "body", "multipart", "max_bytes"],
                Code::InvalidValue,
                "a size limit of 0 bytes accepts nothing",
            ));
        }
        for (variant, def) in &multipart.one_of {
            let variant_at = path!["operations", name, "body", "multipart", "one_of", variant];
            if !ident::is_snake(variant) {
                self.push(file.at_key(
                    &variant_at,
                    Code::BadName,
                    format!("alternative name `{variant}` must be snake_case"),
                ));
            }
            if !def
                .parts
                .values()
                .any(|part| part.required && part.value.is_none())
            {
                self.push(file.at_key(
                    &variant_at,
                    Code::Multipart,
                    format!("alternative `{variant}` needs at least one required part that is an input (not a fixed `value`)"),
                ));
            }
            for (part, part_def) in &def.parts {
                let part_at = path![
                    "operations",
                    name,
                    "body",
                    "multipart",
                    "one_of",
                    variant,
                    "parts",
                    part
                ];
                let field = |key: &str| {
                    let mut at = part_at.clone();
                    at.push(Segment::from(key));
                    at
                };
                let ty = self.check_type(&field("type"), &part_def.ty, TypeContext::Part);
                let is_file = ty == Some(&TypeExpr::File);
                if is_file && !part_def.required {
                    self.push(file.at(
                        &field("type"),
                        Code::Multipart,
                        "a file part must be required in its alternative",
                    ));
                }
                if is_file {
                    for (key, present) in [
                        ("value", part_def.value.is_some()),
                        ("min_length", part_def.min_length.is_some()),
                        ("max_length", part_def.max_length.is_some()),
                    ] {
                        if present {
                            self.push(file.at_key(
                                &field(key),
                                Code::Multipart,
                                format!("`{key}` applies to text parts, not files"),
                            ));
                        }
                    }
                } else if ty.is_some() && part_def.max_bytes.is_some() {
                    self.push(file.at_key(
                        &field("max_bytes"),
                        Code::Multipart,
                        "`max_bytes` applies to file parts; limit text with `max_length`",
                    ));
                }
                if part_def.max_bytes == Some(0) {
                    self.push(file.at(
                        &field("max_bytes"),
                        Code::InvalidValue,
                        "a size limit of 0 bytes accepts nothing",
                    ));
                }
                if let (Some(min), Some(max)) = (part_def.min_length, part_def.max_length)
                    && min > max
                {
                    self.push(file.at(
                        &field("min_length"),
                        Code::InvalidValue,
                        format!("`min_length` {min} is above `max_length` {max}"),
                    ));
                }
                if part_def.value.is_some() && !part_def.required {
                    self.push(file.at_key(
                        &field("value"),
                        Code::Multipart,
                        "a part with a fixed `value` is always sent; remove `required: false`",
                    ));
                }
            }
        }
    }

    /// Whether `name` is an object type of this file.
    pub(super) fn is_object(&self, name: &str) -> bool {
        self.file
            .spec
            .types
            .get(name)
            .is_some_and(|def| def.keys.is_some())
    }
}
