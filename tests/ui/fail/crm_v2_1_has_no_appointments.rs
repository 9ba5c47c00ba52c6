// Rule: a version offers only the modules its page supports. CRM v2.1 does not list
// Appointments (`Appointments__s`), which v7 and v8 do.

use zoho_attachments::crm::v2_1::Module;

fn main() {
    let _module = Module::Appointments;
}
