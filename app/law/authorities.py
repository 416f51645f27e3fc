"""The supervisory authority a person can complain to (Art. 77 GDPR), by the country they live in.

Only a name per country, in the authority's own language, as the person will find it:
the download page names it so that a person who gets no answer knows where to turn.
Germany has one authority per federal state (Land) for complaints about companies,
and Åland's own authority covers only its public bodies: for these, no single name.
"""
from __future__ import annotations

AUTHORITIES = {
    "AT": "Datenschutzbehörde (DSB)",
    "BE": "Gegevensbeschermingsautoriteit / Autorité de protection des données",
    "BG": "Комисия за защита на личните данни (КЗЛД)",
    "CY": "Γραφείο Επιτρόπου Προστασίας Δεδομένων Προσωπικού Χαρακτήρα",
    "CZ": "Úřad pro ochranu osobních údajů (ÚOOÚ)",
    "DK": "Datatilsynet",
    "EE": "Andmekaitse Inspektsioon (AKI)",
    "ES": "Agencia Española de Protección de Datos (AEPD)",
    "FI": "Tietosuojavaltuutetun toimisto",
    "FR": "Commission nationale de l'informatique et des libertés (CNIL)",
    "GR": "Αρχή Προστασίας Δεδομένων Προσωπικού Χαρακτήρα",
    "HR": "Agencija za zaštitu osobnih podataka (AZOP)",
    "HU": "Nemzeti Adatvédelmi és Információszabadság Hatóság (NAIH)",
    "IE": "Data Protection Commission (DPC)",
    "IT": "Garante per la protezione dei dati personali",
    "LT": "Valstybinė duomenų apsaugos inspekcija (VDAI)",
    "LU": "Commission nationale pour la protection des données (CNPD)",
    "LV": "Datu valsts inspekcija (DVI)",
    "MT": "Information and Data Protection Commissioner (IDPC)",
    "NL": "Autoriteit Persoonsgegevens (AP)",
    "PL": "Prezes Urzędu Ochrony Danych Osobowych (UODO)",
    "PT": "Comissão Nacional de Proteção de Dados (CNPD)",
    "RO": "Autoritatea Națională de Supraveghere a Prelucrării Datelor cu Caracter Personal (ANSPDCP)",
    "SE": "Integritetsskyddsmyndigheten (IMY)",
    "SI": "Informacijski pooblaščenec",
    "SK": "Úrad na ochranu osobných údajov Slovenskej republiky",
    # EEA
    "IS": "Persónuvernd",
    "LI": "Datenschutzstelle Liechtenstein",
    "NO": "Datatilsynet",
    # UK GDPR
    "GB": "Information Commissioner's Office (ICO)",
}
# Parts of a Member State with their own ISO code: the national authority is theirs.
for _territory, _state in {"GF": "FR", "GP": "FR", "MQ": "FR", "RE": "FR", "YT": "FR", "MF": "FR",
                           "IC": "ES", "EA": "ES"}.items():
    AUTHORITIES[_territory] = AUTHORITIES[_state]

# Countries where the authority depends on where in the country the person lives.
REGIONAL_AUTHORITIES = frozenset({"DE"})


def supervisory_authority(country: str) -> str | None:
    """The name of the one authority for people living in ``country``; None where there is no single one."""
    return AUTHORITIES.get(country)
