//! The seed's per-variant table: users, conversions, conversion rate, revenue per user.

use crate::format::{mean, opt, rate};
use crate::state::SharedReport;
use leptos::prelude::*;

/// One row per variant, control first.
#[component]
pub fn VariantTable(report: SharedReport) -> impl IntoView {
    let rows = report.0.variants.clone();
    view! {
        <section class="panel">
            <h3>"Variants"</h3>
            <table data-testid="variant-table">
                <thead><tr>
                    <th>"Variant"</th><th>"Users"</th><th>"Conversions"</th>
                    <th>"Conversion rate"</th><th>"Revenue per user"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|v| view! {
                        <tr data-variant=v.name.clone()>
                            <td class="name">{v.name.clone()}</td>
                            <td class="users">{v.users}</td>
                            <td class="conversions">{opt(v.conversions, |c| c.to_string())}</td>
                            <td class="cr" data-value=opt(v.conversion_rate, |x| x.to_string())>{opt(v.conversion_rate, rate)}</td>
                            <td class="rpu" data-value=opt(v.revenue_per_user, |x| x.to_string())>{opt(v.revenue_per_user, mean)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
