"""The 涉密事项 register as xlsx (issue 13, CLS-2, CLS-7, CAR-12): a Chinese sheet name, the
mark of the list in the printed header, and the 解密日期 column exactly as the screen shows it
(a declassified item printed its old expiry date instead of the day it was declassified)."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from baomi.classification.models import Item
from tests.classification.conftest import determine


def test_the_register_xlsx_matches_the_screen(org):
    kept = determine(org, title="仍在保密期内的事项", scope_users=[org.security_officer])
    lifted = determine(org, title="已解密的事项", years=10, scope_users=[org.security_officer])
    lifted_on = timezone.make_aware(datetime(2026, 3, 9, 23, 30))  # late evening: the local day counts
    Item.objects.filter(pk=lifted.pk).update(status="declassified", declassified_at=lifted_on)
    c = Client()
    c.force_login(org.security_officer)
    html = c.get("/classification/").content.decode()
    screen = {}
    for title in (kept.title, lifted.title):
        row = re.search(rf"{title}.*?</tr>", html, re.S).group(0)
        screen[title] = re.findall(r"<td>([^<]*)</td></tr>", row)[-1].strip()
    response = c.get("/classification/?export=xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    assert ws.title == "涉密事项"
    assert ws.oddHeader.left.text == "机密★5年"  # the highest level in force (the 10-year item is lifted)
    cells = {row[1]: row[6] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert cells[kept.title] == screen[kept.title] == kept.expires_on.strftime("%Y-%m-%d")
    assert cells[lifted.title] == screen[lifted.title] == timezone.localtime(lifted_on).strftime("%Y-%m-%d")
    assert cells[lifted.title] != lifted.expires_on.strftime("%Y-%m-%d")
    assert timedelta(0) < lifted.expires_on - timezone.localdate()  # the bug's old value was a future day
