//! Synthetic configs for benchmarks and stress tests: the realistic example
//! organisation scaled to N services, with customers, suppliers and cross-references in
//! realistic proportions (a customer per 4 services, a supplier per 5, two or three
//! customers and one or two suppliers per service, dependencies on earlier services
//! only, so there are no cycles).

use std::fmt::Write as _;

/// The processes, people and roles of the example, shared by every size.
const HEAD: &str = r#"[organisation]
name = "Synthetic Research Infrastructure"
short_name = "SRI"
description = "A generated organisation for benchmarks and stress tests."
contact_email = "desk@sri.example.org"
service_desk = "https://help.sri.example.org"

[pack]
version = "1.0"
effective_date = 2026-02-01

[scope]
statement = "All services of the synthetic research infrastructure."
in_scope = ["All services in the catalogue"]
locations = ["Main data centre"]

[[people]]
id = "owner"
name = "Olivia Owner"
title = "Director"

[[people]]
id = "manager"
name = "Manuel Manager"
title = "SMS manager"

[[people]]
id = "security"
name = "Sam Security"
title = "Security officer"

[roles]
sms_owner = "owner"
sms_manager = "manager"
information_security_manager = "security"
"#;

const PROCESSES: [&str; 14] =
    ["SPM", "SLM", "SRM", "SACM", "CAPM", "ISM", "CRM", "SUPPM", "ISRM", "PM", "CONFM", "CHM", "RDM", "CSI"];

/// A valid `sms.toml` with `services` services.
pub fn config(services: usize) -> String {
    let customers = services.div_ceil(4).max(1);
    let suppliers = services.div_ceil(5).max(1);
    let staff = (services / 10).clamp(4, 500);
    let mut text = String::with_capacity(services * 700 + 4096);
    text.push_str(HEAD);
    for index in 0..staff {
        let _ = write!(
            text,
            "\n[[people]]\nid = \"staff-{index}\"\nname = \"Staff Member {index}\"\ntitle = \"Engineer\"\n"
        );
    }
    for (index, code) in PROCESSES.iter().enumerate() {
        let _ = write!(text, "\n[processes.{code}]\nowner = \"manager\"\nmanager = \"staff-{}\"\n", index % staff);
    }
    for index in 0..customers {
        let _ = write!(
            text,
            "\n[[customers]]\nid = \"customer-{index}\"\nname = \"Customer {index}\"\nkind = \"{}\"\ncontact_email = \"c{index}@example.org\"\nrelationship_manager = \"staff-{}\"\n",
            if index % 3 == 0 { "external" } else { "internal" },
            index % staff
        );
    }
    for index in 0..suppliers {
        let _ = write!(
            text,
            "\n[[suppliers]]\nid = \"supplier-{index}\"\nname = \"Supplier {index}\"\nkind = \"{}\"\ncontact_email = \"s{index}@example.com\"\nrelationship_manager = \"staff-{}\"\n",
            if index % 2 == 0 { "external" } else { "internal" },
            index % staff
        );
    }
    for index in 0..services {
        let customer_list: Vec<String> =
            (0..2 + index % 2).map(|k| format!("\"customer-{}\"", (index + k * 7) % customers)).collect();
        let mut customer_list = customer_list;
        customer_list.sort_unstable();
        customer_list.dedup();
        let supplier_list: Vec<String> = {
            let mut list = vec![format!("\"supplier-{}\"", index % suppliers)];
            if index % 3 == 0 && suppliers > 1 {
                list.push(format!("\"supplier-{}\"", (index + 1) % suppliers));
            }
            list
        };
        let depends: Vec<String> = if index == 0 {
            Vec::new()
        } else {
            let mut list = vec![format!("\"service-{}\"", index / 2)];
            if index > 3 && index % 4 == 0 {
                list.push(format!("\"service-{}\"", index - 3));
            }
            list.dedup();
            list.retain(|d| d != &format!("\"service-{index}\""));
            list
        };
        let _ = write!(
            text,
            "\n[[services]]\nid = \"service-{index}\"\nname = \"Service {index}\"\ndescription = \"Generated service number {index}, with a description long enough to look real.\"\n\
             owner = \"staff-{}\"\nstatus = \"{}\"\ncategory = \"Category {}\"\ncustomers = [{}]\nsuppliers = [{}]\ndepends_on = [{}]\n\
             hours = \"24/7\"\navailability_target = {}\nresponse_times = {{ critical = \"1 hour\", high = \"4 hours\", medium = \"1 day\", low = \"3 days\" }}\n",
            index % staff,
            if index % 10 == 9 { "pipeline" } else { "live" },
            index % 7,
            customer_list.join(", "),
            supplier_list.join(", "),
            depends.join(", "),
            if index % 2 == 0 { "99.5" } else { "99.9" }
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_configs_are_valid_at_every_size() {
        for services in [1, 10, 137] {
            let text = config(services);
            let parsed = crate::config::parse_str(&text, std::path::Path::new("synthetic.toml"));
            assert!(parsed.is_ok(), "{services}: {}", parsed.err().map(|e| e.to_string()).unwrap_or_default());
            assert_eq!(parsed.map(|c| c.services.len()).unwrap_or_default(), services);
        }
    }
}
