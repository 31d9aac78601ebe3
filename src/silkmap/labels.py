"""Display names for the codes used in the data (statuses, kinds, memberships)."""

from __future__ import annotations

from silkmap.i18n import N_, _

ROUTE_STATUS = {"historical": N_("historical"), "operating": N_("operating"),
                "under_construction": N_("under construction"), "planned": N_("planned")}
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
PLACE_KIND = {"capital": N_("capital"), "hub": N_("hub"), "city": N_("Silk Road city"),
              "border_port": N_("border port"), "heritage_site": N_("UNESCO heritage site")}


def label(table: dict[str, str], code: str) -> str:
    return _(table.get(code, code))
