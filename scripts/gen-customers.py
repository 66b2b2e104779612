#!/usr/bin/env python3
"""Writes a canonical (preset `ecwid`) customers CSV of N rows for the benchmarks.

Every row is valid and every email unique, so a dry run checks each value and an import sends
each row. Values are realistic and in several scripts (Latin with accents, Cyrillic, Greek,
Arabic, Han, Japanese kana, Devanagari), with quoted cells, embedded commas and line breaks, so
the reader and the rules do the work they do on real exports. The output depends only on N and
--seed, so two runs of the same command produce the same file.

    python3 scripts/gen-customers.py 500000 > customers-500k.csv
"""

import argparse
import csv
import random
import sys

HEADER = [
    "email",
    "name",
    "billingPerson.companyName",
    "billingPerson.street",
    "billingPerson.city",
    "billingPerson.countryCode",
    "billingPerson.postalCode",
    "billingPerson.stateOrProvinceCode",
    "billingPerson.phone",
    "shippingAddresses.0.name",
    "shippingAddresses.0.street",
    "shippingAddresses.0.city",
    "shippingAddresses.0.countryCode",
    "shippingAddresses.0.postalCode",
    "contacts.0.type",
    "contacts.0.contact",
    "contacts.0.default",
    "b2b_b2c",
    "taxId",
    "taxIdValid",
    "taxExempt",
    "acceptMarketing",
    "lang",
    "privateAdminNotes",
]

# (first names, last names, cities, country code, street words, phone prefix, lang)
LOCALES = [
    (["Emma", "Lukas", "Jürgen", "Anneliese", "Björn"], ["Schneider", "Müller", "Groß", "Weiß"],
     ["Berlin", "München", "Köln", "Düsseldorf"], "DE", ["Lindenstraße", "Hauptstraße", "Königsallee"], "+49", "de"),
    (["Chloé", "Élodie", "François", "Zoë"], ["Lefèvre", "Dubois", "Garçon", "Bézier"],
     ["Paris", "Orléans", "Besançon", "Nîmes"], "FR", ["rue de la Paix", "avenue Foch", "quai d'Orsay"], "+33", "fr"),
    (["José", "Lucía", "Íñigo", "Begoña"], ["Martínez", "Núñez", "Peña", "Ibáñez"],
     ["Madrid", "Cádiz", "Córdoba", "A Coruña"], "ES", ["Calle Mayor", "Avenida de España"], "+34", "es"),
    (["Liam", "Olivia", "Noah", "Ava", "Seán"], ["O'Connor", "Smith", "Johnson", "Brown"],
     ["New York", "Springfield", "Portland", "Austin"], "US", ["Main Street", "Oak Avenue", "Harbour View"], "+1", "en"),
    (["Иван", "Ольга", "Дмитрий", "Наталья"], ["Иванов", "Смирнова", "Кузнецов", "Попова"],
     ["Москва", "Санкт-Петербург", "Казань"], "RU", ["улица Ленина", "проспект Мира"], "+7", "en"),
    (["Γιώργος", "Μαρία", "Νίκος", "Ελένη"], ["Παπαδόπουλος", "Κωνσταντίνου", "Νικολάου"],
     ["Αθήνα", "Θεσσαλονίκη", "Πάτρα"], "GR", ["οδός Ερμού", "λεωφόρος Συγγρού"], "+30", "en"),
    (["محمد", "فاطمة", "أحمد", "ليلى"], ["العلي", "الحسن", "المصري"],
     ["القاهرة", "الإسكندرية", "الجيزة"], "EG", ["شارع التحرير", "شارع الهرم"], "+20", "en"),
    (["伟", "芳", "娜", "秀英"], ["王", "李", "张", "刘"],
     ["北京", "上海", "广州", "深圳"], "CN", ["长安街", "南京路"], "+86", "en"),
    (["さくら", "ひろし", "ゆき", "たろう"], ["佐藤", "鈴木", "高橋", "田中"],
     ["東京", "大阪", "京都", "横浜"], "JP", ["銀座通り", "本町"], "+81", "en"),
    (["आरव", "प्रिया", "विवेक", "अनन्या"], ["शर्मा", "वर्मा", "गुप्ता"],
     ["मुंबई", "दिल्ली", "पुणे"], "IN", ["महात्मा गांधी मार्ग", "नेहरू रोड"], "+91", "en"),
]
COMPANIES = ["", "", "", "Acme GmbH", "Müller & Söhne KG", "Globex, Inc.", "Initech Ltd", "ООО «Ромашка»"]
CONTACT_TYPES = ["PHONE", "EMAIL", "WHATSAPP", "TELEGRAM", "INSTAGRAM", "URL"]
BOOLS = ["yes", "no", "true", "false", "1", "0", "Y", "N", ""]
NOTES = ["", "", "", "VIP", "prefers email, not calls", "met at the fair\nfollow up in May", "call after 5pm"]


def row(rng: random.Random, n: int) -> list[str]:
    firsts, lasts, cities, country, streets, prefix, lang = rng.choice(LOCALES)
    first, last = rng.choice(firsts), rng.choice(lasts)
    name = f"{first} {last}"
    email = f"customer{n}.{rng.randrange(10**6)}@example{n % 97}.com"
    street = f"{rng.choice(streets)} {rng.randrange(1, 300)}"
    if rng.random() < 0.1:
        street += f"\nApt {rng.randrange(1, 90)}"
    city = rng.choice(cities)
    postal = f"{rng.randrange(10000, 99999)}"
    phone = f"{prefix} {rng.randrange(100, 999)} {rng.randrange(1000000, 9999999)}"
    shipping = rng.random() < 0.4
    company = rng.choice(COMPANIES)
    tax_id = f"{country}{rng.randrange(10**8, 10**9)}" if company else ""
    tax_valid = rng.choice(BOOLS) if tax_id else ""
    exempt = rng.choice(["yes", "no"]) if tax_id else ""
    # Ecwid makes a customer tax exempt only with a valid tax ID: every row must be created.
    if tax_valid.lower() in ("no", "false", "0", "n"):
        exempt = "no"
    ctype = rng.choice(CONTACT_TYPES)
    contact = {"PHONE": phone, "WHATSAPP": phone, "EMAIL": email,
               "TELEGRAM": f"@{first.lower()}{n}", "INSTAGRAM": f"@{first.lower()}_{n}",
               "URL": f"https://example.com/u/{n}"}[ctype]
    return [
        email if rng.random() < 0.9 else f"  {email.upper()} ",
        name,
        company,
        street,
        city,
        country if rng.random() < 0.9 else country.lower(),
        postal,
        "",
        phone,
        name if shipping else "",
        street if shipping else "",
        city if shipping else "",
        country if shipping else "",
        postal if shipping else "",
        ctype if rng.random() < 0.8 else ctype.lower(),
        contact,
        rng.choice(["true", "false", ""]),
        "b2b" if company else rng.choice(["b2c", "B2C", ""]),
        tax_id,
        tax_valid,
        exempt,
        rng.choice(BOOLS),
        lang,
        rng.choice(NOTES),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sys.stdout.reconfigure(encoding="utf-8", newline="")
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(HEADER)
    for n in range(1, args.rows + 1):
        out.writerow(row(rng, n))


if __name__ == "__main__":
    main()
