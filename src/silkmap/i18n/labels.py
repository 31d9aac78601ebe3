"""Display names for the codes used in the data (statuses, kinds, memberships)."""

from __future__ import annotations

from silkmap.i18n import N_, _
from silkmap.i18n.numbers import date, figure_value

ROUTE_STATUS = {"historical": N_("historical"), "operating": N_("operating"),
                "under_construction": N_("under construction"), "planned": N_("planned"),
                "stalled": N_("stalled")}
ROUTE_KIND = {"caravan": N_("caravan route"), "rail": N_("railway"), "road": N_("road"),
              "pipeline_gas": N_("gas pipeline"), "pipeline_oil": N_("oil pipeline")}
PROJECT_STATUS = {"operating": N_("operating"), "under_construction": N_("under construction"),
                  "planned": N_("planned"), "stalled": N_("stalled"), "producing": N_("producing"),
                  "completed": N_("completed")}
MEMBERSHIP = {"SCO": N_("Shanghai Cooperation Organisation (SCO)"),
              "EAEU": N_("Eurasian Economic Union (EAEU)"),
              "CSTO": N_("Collective Security Treaty Organisation (CSTO)"),
              "AIIB": N_("Asian Infrastructure Investment Bank (AIIB)"),
              "BRI": N_("Belt and Road cooperation document")}
MEMBERSHIP_SHORT = {"SCO": N_("SCO"), "EAEU": N_("EAEU"), "CSTO": N_("CSTO"), "AIIB": N_("AIIB"),
                    "BRI": N_("BRI document")}
MEMBERSHIP_STATUS = {"founding_member": N_("founding member"), "member": N_("member"),
                     "observer": N_("observer"), "not_member": N_("not a member"),
                     "suspended": N_("suspended"), "signed": N_("signed"),
                     "initiator": N_("initiator")}
CONFIDENCE = {"confirmed": N_("confirmed"), "data": N_("from data files"),
              "derived": N_("derived (calculated)"), "approx": N_("approximate"),
              "general": N_("general knowledge, not checked"), "unconfirmed": N_("unconfirmed")}
# Keys of a project's "figures" in profiles.json.
PROJECT_FIGURE = {
    "area": N_("Area"), "area_kaz": N_("Area in Kazakhstan"), "area_chn": N_("Area in China"),
    "stake_chinese": N_("Chinese stake"), "sez_area": N_("Area of the special economic zone"),
    "dry_port_area": N_("Area of the dry port"),
    "length_km": N_("Length"), "length_kaz_km": N_("Length in Kazakhstan"),
    "length_kaz": N_("Length in Kazakhstan"),
    "length_chn_km": N_("Length in China"), "length_rus_km": N_("Length in Russia"),
    "length_kgz_km": N_("Length in Kyrgyzstan"),
    "length_atasu_alashankou_km": N_("Length of the Atasu–Alashankou section"),
    "length_phase2_km": N_("Length of phase 2"), "length_line_c_km": N_("Length of Line C"),
    "link_length_km": N_("Length of the Dushanbe–Bokhtar link"),
    "line_length_km": N_("Length of the Angren–Pap line"),
    "capacity": N_("Capacity"), "capacity_mw": N_("Installed capacity"),
    "capacity_line_c": N_("Capacity of Line C"),
    "turbines": N_("Wind turbines"), "tunnels": N_("Tunnels"), "cost": N_("Cost"),
    "cost_tunnel_contract": N_("Tunnel contract"),
    "loan_exim_phase1": N_("Export–Import Bank of China loan, phase 1"),
    "trips_2022": N_("Train trips in 2022"), "trains_20000": N_("20,000th train"),
    "trains_total_2024": N_("Trains run in total by 2024"), "routes": N_("International routes"),
    "countries": N_("Countries served"), "trips_jan_oct_2025": N_("Train trips, January–October 2025"),
}
# Keys of the hub's "figures" in region.json (figures and dated milestones).
HUB_FIGURE = {
    "first_train": N_("First train"), "trips_2022": N_("Train trips in 2022"),
    "trains_20000": N_("20,000th train"), "trains_total_2024": N_("Trains run in total by 2024"),
    "routes": N_("International routes"), "countries": N_("Countries served"),
    "trips_jan_oct_2025": N_("Train trips, January–October 2025"), "trips_2025": N_("Train trips in 2025"),
}


def label(table: dict[str, str], code: str) -> str:
    """The display name of ``code``; an unknown code is shown as itself, spaced out."""
    return _(table[code]) if code in table else code.replace("_", " ")


def qualified(fig) -> str:
    """A figure's value worded as its source words it: "more than 25,000", "about US$8 billion"."""
    value = figure_value(fig.value, fig.unit)
    if fig.qualifier == "more_than":
        return _("more than {value}").format(value=value)
    if fig.qualifier == "about":
        return _("about {value}").format(value=value)
    return value


def membership_status(m) -> str:
    """"founding member (since 15 June 2001)"."""
    status = label(MEMBERSHIP_STATUS, m.status)
    if not m.since:
        return status
    return _("{status} (since {date})").format(status=status, date=date(str(m.since)))
