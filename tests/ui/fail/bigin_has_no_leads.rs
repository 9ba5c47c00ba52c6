// Rule: a version offers only the modules its page supports. Bigin has no Leads module.

use zoho_attachments::bigin::v1::Module;

fn main() {
    let _module = Module::Leads;
}
