#!/usr/bin/env python3
"""Builds the Python-made part of the mailmsg test corpus (see README.md).

Run from internal/mailmsg/testdata: python3 make_corpus.py
Dates, Message-IDs and MIME boundaries are fixed so that reruns give the same bytes.
"""
import email.charset
import email.policy
from email.message import EmailMessage
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.header import Header
from email import encoders
from email.mime.message import MIMEMessage
from email.message import Message


def dsn(*blocks):
    """A message/delivery-status part: per-message then per-recipient field blocks."""
    part = MIMEBase("message", "delivery-status")
    payload = []
    for fields in blocks:
        b = Message()
        for k, v in fields:
            b[k] = v
        payload.append(b)
    part.set_payload(payload)
    return part

import base64, os, quopri, zlib, struct

OUT = "corpus"
DATE = "Thu, 26 Nov 2026 15:10:00 +0300"


def png(w=8, h=8):
    """A real, tiny PNG image."""
    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    raw = b"".join(b"\x00" + bytes([200, 30, 30]) * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def write(name, msg, crlf=False):
    pol = (email.policy.SMTP if crlf else email.policy.default)
    if isinstance(msg, EmailMessage):
        data = msg.as_bytes(policy=pol)
    else:
        data = msg.as_bytes(policy=email.policy.compat32.clone(linesep="\r\n" if crlf else "\n"))
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def fixed_boundaries(msg, prefix):
    for i, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"=={prefix}-{i}==")


# 01: UTF-8 multipart/alternative, Russian subject (RFC 2047 UTF-8), [INC-000123] tag.
m = EmailMessage()
m["From"] = "Мария Иванова <Maria.Ivanova@Example.RU>"
m["To"] = "Служба поддержки <support@helpdesk.local>"
m["Subject"] = "[INC-000123] Не работает принтер на 3 этаже — срочно"
m["Date"] = DATE
m["Message-ID"] = "<py-01-alt@example.ru>"
m.set_content("Добрый день!\n\nПринтер PRN-3F выдаёт ошибку 0x50 и не печатает.\n\nМария\n")
m.add_alternative("<html><body><p>Добрый день!</p><p>Принтер <b>PRN-3F</b> выдаёт ошибку 0x50 и не печатает.</p><p>Мария</p></body></html>\n", subtype="html")
fixed_boundaries(m, "01")
write("01-py-utf8-alternative.eml", m)

# 03: nested: mixed( related( alternative(text QP, html QP), inline png with CID ), pdf attachment base64 )
m = EmailMessage()
m["From"] = '"Jean Dupont" <jean.dupont@example.fr>'
m["To"] = "support@helpdesk.local"
m["Cc"] = "Chef <chef@example.fr>, ops@example.fr"
m["Subject"] = "[REQ-000045] Nouvel écran pour le poste 12"
m["Date"] = DATE
m["Message-ID"] = "<py-03-nested@example.fr>"
m.set_content("Bonjour,\n\nvoici la photo du poste (voir image). Le devis est joint.\nMerci d'avance — Jean\n", cte="quoted-printable")
m.add_alternative('<html><body><p>Bonjour,</p><p>voici la photo du poste&nbsp;:<br><img src="cid:poste12@example.fr" alt="poste"></p><p>Le devis est joint.<br>Merci d\'avance &mdash; Jean</p></body></html>\n', subtype="html", cte="quoted-printable")
html = m.get_payload()[1]
html.add_related(png(), maintype="image", subtype="png", cid="<poste12@example.fr>", filename="poste12.png", disposition="inline")
pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n" * 20
m.add_attachment(pdf, maintype="application", subtype="pdf", filename="devis écran.pdf")
fixed_boundaries(m, "03")
write("03-py-nested-inline-image.eml", m, crlf=True)

# 04: KOI8-R subject (RFC 2047 B) and KOI8-R body (quoted-printable), as old Russian clients send.
body = "Здравствуйте!\n\nНе могу войти в 1С: пишет \"неверный пароль\".\nПароль не менял.\n\nС уважением,\nПётр Сидоров\n".encode("koi8-r")
m = MIMEBase("text", "plain", charset="koi8-r")
m.set_payload(quopri.encodestring(body).decode("ascii"))
m["Content-Transfer-Encoding"] = "quoted-printable"
m["From"] = Header("Пётр Сидоров", "koi8-r").encode() + " <P.Sidorov@example.ru>"
m["To"] = "support@helpdesk.local"
m["Subject"] = Header("Не могу войти в 1С", "koi8-r")
m["Date"] = DATE
m["Message-ID"] = "<py-04-koi8r@example.ru>"
write("04-py-koi8r-subject-body.eml", m)

# 05: Windows-1251 body in base64 and an attachment with a Russian file name (RFC 2231 by the policy).
m = EmailMessage()
m["From"] = "buh@example.ru"
m["To"] = "support@helpdesk.local"
m["Subject"] = "Отчёт не выгружается"
m["Date"] = DATE
m["Message-ID"] = "<py-05-cp1251@example.ru>"
m.set_content("Коллеги, отчёт за ноябрь не выгружается в Excel. Файл с ошибкой прилагаю.\n\nБухгалтерия\n", charset="windows-1251", cte="base64")
m.add_attachment("Ошибка: Превышено время ожидания\n".encode("utf-8"), maintype="text", subtype="plain", filename="Отчёт за ноябрь.txt")
fixed_boundaries(m, "05")
write("05-py-cp1251-body-rfc2231-name.eml", m)

# 07: Gmail-style reply in English: wrapped "On … wrote:" attribution and a quote.
m = EmailMessage()
m["From"] = "Alice Example <alice@example.com>"
m["To"] = "IT Support <support@helpdesk.local>"
m["Subject"] = "Re: [INC-000123] Printer on floor 3 shows error 0x50"
m["Date"] = DATE
m["Message-ID"] = "<CAGmail07+reply@mail.gmail.com>"
m["In-Reply-To"] = "<ticket-INC-000123-3@helpdesk.local>"
m["References"] = "<py-01-alt@example.ru> <ticket-INC-000123-1@helpdesk.local> <ticket-INC-000123-3@helpdesk.local>"
m.set_content("Thanks, it prints again.\nThe fuser still clicks though.\n\nOn Thu, 26 Nov 2026 at 10:02, IT Support <\nsupport@helpdesk.local> wrote:\n\n> Hi Alice,\n>\n> please power-cycle the printer.\n>\n> --\n> IT Support\n")
m.add_alternative("<div dir=\"ltr\">Thanks, it prints again.<div>The fuser still clicks though.</div></div><br><div class=\"gmail_quote\"><div class=\"gmail_attr\">On Thu, 26 Nov 2026 at 10:02, IT Support &lt;support@helpdesk.local&gt; wrote:<br></div><blockquote class=\"gmail_quote\">Hi Alice,<br>please power-cycle the printer.</blockquote></div>\n", subtype="html")
fixed_boundaries(m, "07")
write("07-py-gmail-reply-en.eml", m)

# 08: Outlook-style reply (English): "-----Original Message-----" block, ServiceNow-style tag.
m = EmailMessage()
m["From"] = '"Smith, John" <John.Smith@Corp.Example.com>'
m["To"] = "support@helpdesk.local"
m["Subject"] = "RE: [INC0000045] VPN disconnects every 5 minutes"
m["Date"] = DATE
m["Message-ID"] = "<DB9PR01MB0001.outlook08@DB9PR01MB0001.eurprd01.prod.exchangelabs.com>"
m["In-Reply-To"] = "<ticket-INC0000045-2@helpdesk.local>"
m["References"] = "<ticket-INC0000045-1@helpdesk.local> <ticket-INC0000045-2@helpdesk.local>"
m["Thread-Topic"] = "[INC0000045] VPN disconnects every 5 minutes"
m.set_content("Hi,\r\n\r\nThe new client 5.2.1 fixed it. You can close the ticket.\r\n\r\nRegards,\r\nJohn\r\n\r\n-----Original Message-----\r\nFrom: IT Support <support@helpdesk.local>\r\nSent: Thursday, November 26, 2026 10:15 AM\r\nTo: Smith, John <John.Smith@Corp.Example.com>\r\nSubject: [INC0000045] VPN disconnects every 5 minutes\r\n\r\nWe restarted the VPN concentrator. Does the problem persist?\r\n", cte="quoted-printable")
fixed_boundaries(m, "08")
write("08-py-outlook-reply-en.eml", m, crlf=True)

# 09: Outlook-style reply in Russian, Windows-1251 quoted-printable: "От: … Отправлено: … Кому: … Тема:".
m = EmailMessage()
m["From"] = "Ольга Кузнецова <o.kuznetsova@example.ru>"
m["To"] = "support@helpdesk.local"
m["Subject"] = "RE: [INC-000200] Не открывается почта"
m["Date"] = DATE
m["Message-ID"] = "<AM0PR02MB0009.outlook09@AM0PR02MB0009.eurprd02.prod.outlook.com>"
m["In-Reply-To"] = "<ticket-INC-000200-2@helpdesk.local>"
m["References"] = "<ticket-INC-000200-1@helpdesk.local> <ticket-INC-000200-2@helpdesk.local>"
m.set_content("Спасибо, после перезапуска всё заработало.\n\nОльга\n\n________________________________\nОт: Служба поддержки <support@helpdesk.local>\nОтправлено: 26 ноября 2026 г. 10:15\nКому: Ольга Кузнецова <o.kuznetsova@example.ru>\nТема: [INC-000200] Не открывается почта\n\nПерезапустите, пожалуйста, Outlook.\n", charset="windows-1251", cte="quoted-printable")
write("09-py-outlook-reply-ru-cp1251.eml", m)

# 10: Thunderbird-style reply in Russian with "пишет:" and one in English with "wrote:" further up? (ru only)
m = EmailMessage()
m["From"] = "Сергей <sergey@example.ru>"
m["To"] = "support@helpdesk.local"
m["Subject"] = "Re: [REQ-000046] Доступ к общей папке"
m["Date"] = DATE
m["Message-ID"] = "<b2c8e6f0-10aa-4f00-9c3b-thunderbird10@example.ru>"
m["In-Reply-To"] = "<ticket-REQ-000046-1@helpdesk.local>"
m["References"] = "<ticket-REQ-000046-1@helpdesk.local>"
m["User-Agent"] = "Mozilla Thunderbird"
m.set_content("Доступ нужен только на чтение.\n\n26.11.2026 10:20, Служба поддержки пишет:\n> Уточните, пожалуйста, какой нужен доступ: чтение или запись?\n>\n> -- \n> Служба поддержки\n", charset="utf-8")
write("10-py-thunderbird-reply-ru.eml", m)

# 11: Gmail-style Russian "написал(а):" attribution, with an inline reply kept and a signature.
m = EmailMessage()
m["From"] = "Анна <anna@example.ru>"
m["To"] = "support@helpdesk.local"
m["Subject"] = "Re: [INC-000201] Медленный интернет"
m["Date"] = DATE
m["Message-ID"] = "<CAGmail11@mail.gmail.com>"
m["In-Reply-To"] = "<ticket-INC-000201-2@helpdesk.local>"
m["References"] = "<ticket-INC-000201-2@helpdesk.local>"
m.set_content("> Какая скорость по speedtest?\nОколо 2 Мбит/с.\n\n-- \nАнна, отдел продаж\nтел. 1234\n\nчт, 26 нояб. 2026 г. в 10:30, Служба поддержки <support@helpdesk.local> написал(а):\n> Какая скорость по speedtest?\n")
write("11-py-gmail-reply-ru-signature.eml", m)

# 12: HTML-only message (no text part): text comes from the HTML.
m = EmailMessage()
m["From"] = "portal@example.com"
m["To"] = "support@helpdesk.local"
m["Subject"] = "New laptop request"
m["Date"] = DATE
m["Message-ID"] = "<py-12-html-only@example.com>"
m.set_content("<!DOCTYPE html><html><head><style>p{color:red}</style><script>var x=1;</script></head><body><h1>Laptop request</h1><p>Employee: <b>Kim Lee</b></p><ul><li>Model: X1</li><li>RAM: 32&nbsp;GB</li></ul><p>Approve at <a href=\"https://portal.example.com/a/1\">the portal</a>.</p></body></html>\n", subtype="html")
write("12-py-html-only.eml", m)

# 13: Out-of-office in Russian: no Auto-Submitted, only X-Autoreply and an "Автоответ:" subject.
m = EmailMessage()
m["From"] = "Иван Петров <ivan@example.ru>"
m["To"] = "support@helpdesk.local"
m["Subject"] = "Автоответ: [INC-000202] Заявка зарегистрирована"
m["Date"] = DATE
m["Message-ID"] = "<py-13-ooo-ru@example.ru>"
m["In-Reply-To"] = "<ticket-INC-000202-1@helpdesk.local>"
m["X-Autoreply"] = "yes"
m.set_content("Я в отпуске до 7 декабря. По срочным вопросам: +7 495 000-00-00.\n")
write("13-py-autoreply-ru-xautoreply.eml", m)

# 14: Delivery status notification (RFC 3464) for a notification we sent, as Postfix writes it.
orig = EmailMessage()
orig["From"] = "Tierdesk <support@helpdesk.local>"
orig["To"] = "nobody@example.org"
orig["Subject"] = "[INC-000123] Your request has been registered"
orig["Date"] = "Thu, 26 Nov 2026 15:00:00 +0300"
orig["Message-ID"] = "<ticket-INC-000123-1@helpdesk.local>"
orig["Auto-Submitted"] = "auto-generated"
orig.set_content("Your request INC-000123 has been registered.\n")
rep = MIMEMultipart("report", report_type="delivery-status", boundary="==14-report==")
rep["From"] = "MAILER-DAEMON@mx.helpdesk.local (Mail Delivery System)"
rep["To"] = "support@helpdesk.local"
rep["Subject"] = "Undelivered Mail Returned to Sender"
rep["Date"] = "Thu, 26 Nov 2026 15:00:05 +0300"
rep["Message-ID"] = "<20261126120005.AB12C3@mx.helpdesk.local>"
rep["Auto-Submitted"] = "auto-replied"
rep.attach(MIMEText("This is the mail system at host mx.helpdesk.local.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n<nobody@example.org>: host mx.example.org said: 550 5.1.1 User unknown\n", "plain", "us-ascii"))
rep.attach(dsn([("Reporting-MTA", "dns; mx.helpdesk.local"), ("Arrival-Date", "Thu, 26 Nov 2026 15:00:00 +0300")],
               [("Final-Recipient", "rfc822; nobody@example.org"), ("Original-Recipient", "rfc822;nobody@example.org"),
                ("Action", "failed"), ("Status", "5.1.1"), ("Diagnostic-Code", "smtp; 550 5.1.1 User unknown")]))
rep.attach(MIMEMessage(orig))
write("14-py-bounce-dsn.eml", rep)

# 15: a bounce with text/rfc822-headers only, as Exchange/Exim return it.
rep = MIMEMultipart("report", report_type="delivery-status", boundary="==15-report==")
rep["From"] = "Mail Delivery Subsystem <postmaster@example.org>"
rep["To"] = "support@helpdesk.local"
rep["Subject"] = "Undeliverable: [INC-000124] Your request has been resolved"
rep["Date"] = "Thu, 26 Nov 2026 15:00:05 +0300"
rep["Message-ID"] = "<py-15-bounce-headers@example.org>"
rep.attach(MIMEText("Delivery has failed to these recipients or groups:\n\nlost@example.org\nThe e-mail address you entered couldn't be found.\n", "plain", "utf-8"))
rep.attach(dsn([("Reporting-MTA", "dns;ex01.example.org")],
               [("Final-Recipient", "rfc822;lost@example.org"), ("Action", "failed"), ("Status", "5.1.10")]))
hdrs = MIMEBase("text", "rfc822-headers")
hdrs.set_payload("From: Tierdesk <support@helpdesk.local>\nTo: lost@example.org\nSubject: [INC-000124] Your request has been resolved\nMessage-ID:\n <ticket-INC-000124-7@helpdesk.local>\nDate: Thu, 26 Nov 2026 15:00:00 +0300\n")
rep.attach(hdrs)
write("15-py-bounce-rfc822-headers.eml", rep, crlf=True)

# 16: no Message-ID, ISO-8859-1 body (quoted-printable), latin-1 subject encoded word.
m = MIMEText("Hallo,\n\nder Drucker im Büro 2.14 druckt nur noch leere Seiten. Können Sie helfen?\n\nGrüße\nJürgen\n", "plain", "iso-8859-1")
m["From"] = "=?iso-8859-1?q?J=FCrgen_M=FCller?= <juergen@example.de>"
m["To"] = "support@helpdesk.local"
m["Subject"] = "=?iso-8859-1?q?Drucker_im_B=FCro_2=2E14?="
m["Date"] = DATE
write("16-py-no-message-id-latin1.eml", m)

# 17: 1 MB text on a single line (8bit, no wrapping), as broken generators send.
line = ("disk usage 99% on srv-db-01; " * 40000)[:1 << 20]
raw = ("From: monitor@example.com\nTo: support@helpdesk.local\nSubject: Log dump\nDate: " + DATE +
       "\nMessage-ID: <py-17-long-line@example.com>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 8bit\n\n" + line + "\n")
with open(os.path.join(OUT, "17-py-1mb-single-line.eml"), "w") as f:
    f.write(raw)

# 21: our own notification come back (a forwarding rule or a relay that stripped
# Auto-Submitted): our From address, our Message-ID domain, our X-Tierdesk header.
m = EmailMessage()
m["From"] = "Tierdesk <tierdesk@helpdesk.local>"
m["To"] = "support@helpdesk.local"
m["Subject"] = "[INC-000123] Your request has been registered"
m["Date"] = DATE
m["Message-ID"] = "<tierdesk.17.lq3x2@helpdesk.local>"
m["X-Tierdesk-Ticket"] = "INC-000123"
m.set_content("Your request INC-000123 has been registered.\nWe will answer within 4 working hours.\n")
write("21-py-own-notification-looped.eml", m)

# 22: Outlook-style HTML-only mail in Windows-1251 with a pasted screenshot: an
# inline image with a Content-ID and no file name at all, in multipart/related.
m = MIMEMultipart("related", boundary="==22-related==")
m["From"] = "=?windows-1251?b?zuvl4yDP5fLw7uI=?= <o.petrov@example.ru>"
m["To"] = "support@helpdesk.local"
m["Subject"] = Header("Ошибка при печати счёта", "windows-1251").encode()
m["Date"] = DATE
m["Message-ID"] = "<py-22-inline-noname@example.ru>"
html = MIMEText('<html><body><p>Добрый день!</p><p>При печати счёта выходит ошибка, скриншот ниже:</p>'
                '<p><img src="cid:image001.png@01DB3F00.A1B2C3D0"></p><p>Олег</p></body></html>\n', "html", "windows-1251")
m.attach(html)
img = MIMEBase("image", "png")
img.set_payload(png(16, 4))
encoders.encode_base64(img)
img["Content-ID"] = "<image001.png@01DB3F00.A1B2C3D0>"
img["Content-Disposition"] = "inline"
m.attach(img)
write("22-py-html-cp1251-inline-image-no-name.eml", m, crlf=True)

# 23: Precedence: junk and Auto-Submitted: auto-generated from a monitoring robot.
m = MIMEText("CPU load on srv-app-02 is 97%.\n", "plain", "us-ascii")
m["From"] = "Zabbix <zabbix@monitoring.example.com>"
m["To"] = "support@helpdesk.local"
m["Subject"] = "PROBLEM: High CPU load on srv-app-02"
m["Date"] = DATE
m["Message-ID"] = "<py-23-junk@monitoring.example.com>"
m["Precedence"] = "junk"
m["Auto-Submitted"] = "auto-generated"
write("23-py-precedence-junk-autogenerated.eml", m)
