//! The site's navigation: the sidebar seen from each page, and the full list on the
//! index page, grouped by document kind with titles from `html/navigation.toml`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{SIDEBAR_LIMIT, SourcePage};
use crate::error::Error;
use crate::pack::paths::relative_href;
use crate::templates::{DocumentGroup, TemplateSet};

#[derive(Serialize)]
pub(super) struct NavGroup {
    pub(super) id: &'static str,
    pub(super) title: String,
    pub(super) items: Vec<NavItem>,
    /// The group is too long for the sidebar: link to its list on the index page.
    collapsed: bool,
}

#[derive(Serialize, Clone)]
pub(super) struct NavItem {
    title: String,
    href: String,
    current: bool,
    id: String,
    owner: String,
    next_review: String,
}

/// The navigation groups in order, with the ids their titles are found by in
/// `html/navigation.toml` (words are data, so a pack can rename or translate them).
const GROUPS: [(Option<DocumentGroup>, &str); 6] = [
    (Some(DocumentGroup::PoliciesAndPlans), "policies-and-plans"),
    (Some(DocumentGroup::Processes), "processes"),
    (Some(DocumentGroup::Services), "services"),
    (Some(DocumentGroup::SuppliersAndCustomers), "suppliers-and-customers"),
    (Some(DocumentGroup::Assessment), "assessment"),
    (None, "other"),
];

const NAVIGATION: &str = "html/navigation.toml";

/// Group id → title, from `html/navigation.toml`.
pub(super) struct GroupTitles(BTreeMap<String, String>);

impl GroupTitles {
    pub(super) fn load(templates: &TemplateSet) -> Result<Self, Error> {
        let text = templates.get(NAVIGATION).map(|f| f.text.as_str()).unwrap_or_default();
        toml::from_str(text).map(GroupTitles).map_err(|error| templates.error(NAVIGATION, error.message()))
    }

    fn title(&self, id: &str) -> String {
        self.0.get(id).cloned().unwrap_or_else(|| id.to_owned())
    }
}

/// The sidebar as seen from page `current` (`None` for the index page).
pub(super) fn navigation(pages: &[SourcePage], current: Option<usize>, nav: &Nav) -> Vec<NavGroup> {
    let from = current.map_or("index.html", |i| pages[i].html_path.as_str());
    GROUPS
        .iter()
        .zip(&nav.members)
        .filter(|(_, members)| !members.is_empty())
        .map(|((_, id), members)| {
            let collapsed = members.len() > SIDEBAR_LIMIT;
            let items = if collapsed {
                Vec::new()
            } else {
                members.iter().map(|&i| nav_item(&pages[i], from, current == Some(i))).collect()
            };
            NavGroup { id, title: nav.titles.title(id), items, collapsed }
        })
        .collect()
}

/// The group titles and which pages (indices in reading order) each group holds,
/// worked out once: every page's sidebar needs them, and finding them per page made
/// the site quadratic in the number of pages.
pub(super) struct Nav {
    titles: GroupTitles,
    /// Aligned with `GROUPS`.
    members: Vec<Vec<usize>>,
}

impl Nav {
    pub(super) fn new(titles: GroupTitles, pages: &[SourcePage]) -> Nav {
        let members =
            GROUPS.iter().map(|(group, _)| (0..pages.len()).filter(|&i| pages[i].group == *group).collect()).collect();
        Nav { titles, members }
    }
}

/// For each page, whether its group is small enough to be listed in full (in the
/// sidebar, the print page and the search index's full text).
pub(super) fn listed_in_full(pages: &[SourcePage]) -> Vec<bool> {
    let mut sizes: BTreeMap<Option<DocumentGroup>, usize> = BTreeMap::new();
    for page in pages {
        *sizes.entry(page.group).or_default() += 1;
    }
    pages.iter().map(|page| sizes.get(&page.group).is_some_and(|&size| size <= SIDEBAR_LIMIT)).collect()
}

/// Every group with all its documents, for the index page.
pub(super) fn navigation_full(pages: &[SourcePage], nav: &Nav) -> Vec<NavGroup> {
    GROUPS
        .iter()
        .zip(&nav.members)
        .filter(|(_, members)| !members.is_empty())
        .map(|((_, id), members)| {
            let items = members.iter().map(|&i| nav_item(&pages[i], "index.html", false)).collect();
            NavGroup { id, title: nav.titles.title(id), items, collapsed: false }
        })
        .collect()
}

fn nav_item(page: &SourcePage, from: &str, current: bool) -> NavItem {
    let field = |key: &str| page.document.field(key).unwrap_or_default().to_owned();
    NavItem {
        title: page.title.clone(),
        href: relative_href(from, &page.html_path),
        current,
        id: field("id"),
        owner: field("owner"),
        next_review: field("next_review"),
    }
}
