#!/bin/sh
# Builds the whole mailmsg test corpus (see README.md). Needs python3, swaks and mutt
# (Debian: apt-get install -y swaks mutt). Run from internal/mailmsg/testdata.
set -eu
cd "$(dirname "$0")"
python3 make_corpus.py
OUT=$PWD/corpus
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DATE="Thu, 26 Nov 2026 15:20:00 +0300"

# swaks: --dump-mail prints the DATA it would send, without a server.
# 02: multipart/mixed with two attachments (swaks builds the MIME), REQ tag.
printf 'Hostname,IP\nsrv-web-01,10.0.0.11\nsrv-web-02,10.0.0.12\n' > "$WORK/servers.csv"
python3 -c 'import sys,zlib;sys.stdout.buffer.write(bytes(range(256))*16)' > "$WORK/dump.bin"
swaks --dump-mail --from carol@example.com --to support@helpdesk.local \
  --header "Date: $DATE" --header "Message-Id: <swaks-02-mixed@client.example.com>" \
  --header "Subject: [REQ-000050] Add two servers to monitoring" \
  --body 'Please add the attached servers to monitoring. The binary is a core dump.' \
  --attach-type text/csv --attach-name servers.csv --attach @"$WORK/servers.csv" \
  --attach-type application/octet-stream --attach-name core.bin --attach @"$WORK/dump.bin" \
  > "$OUT/02-swaks-mixed-attachments.eml"

# 18: list/bulk mail (Precedence: list, List-Id, List-Unsubscribe).
swaks --dump-mail --from news@lists.example.net --to support@helpdesk.local \
  --header "Date: $DATE" --header "Message-Id: <swaks-18-list@lists.example.net>" \
  --header "Subject: [IT-news] November digest" \
  --add-header "Precedence: list" --add-header "List-Id: IT news <it-news.lists.example.net>" \
  --add-header "List-Unsubscribe: <mailto:it-news-unsubscribe@lists.example.net>" \
  --body 'This month: new VPN client, printer fleet update.' \
  > "$OUT/18-swaks-list-bulk.eml"

# 20: an English out-of-office (Exchange-style headers).
swaks --dump-mail --from "dave@example.net" --to support@helpdesk.local \
  --header "Date: $DATE" --header "Message-Id: <swaks-20-ooo@example.net>" \
  --header "Subject: Automatic reply: [INC-000130] Your request has been registered" \
  --add-header "In-Reply-To: <ticket-INC-000130-1@helpdesk.local>" \
  --add-header "Auto-Submitted: auto-replied" --add-header "X-Auto-Response-Suppress: All" \
  --body 'I am out of the office until Monday.' \
  > "$OUT/20-swaks-ooo-en.eml"

# mutt: sendmail is a script that captures what mutt would hand to the MTA.
cat > "$WORK/capture" <<'EOS'
#!/bin/sh
cat > "$CAPTURE"
EOS
chmod +x "$WORK/capture"
cat > "$WORK/muttrc" <<EOS
set sendmail="$WORK/capture"
set use_from=yes
set realname="Jürgen Weiß"
set from="juergen.weiss@example.de"
set hostname="client.example.de"
set send_charset="us-ascii:iso-8859-1:utf-8"
set charset="utf-8"
set record=""
set edit_headers=yes
set use_8bitmime=no
EOS
export HOME="$WORK" TZ=UTC
# 06: ISO-8859-1 body (mutt picks the first charset that fits) and an attachment with a Russian name (RFC 2231).
printf 'Guten Tag,\n\ndie Tastatur an Arbeitsplatz 7 hat defekte Tasten (ä, ö, ü).\nFoto anbei.\n\nJürgen\n' > "$WORK/body06"
mkdir -p "$WORK/att" && printf 'keyboard log\n' > "$WORK/att/Журнал клавиатуры.txt"
CAPTURE="$OUT/06-mutt-latin1-rfc2231-name.eml" mutt -n -F "$WORK/muttrc" \
  -s "Tastatur defekt – Platz 7" -a "$WORK/att/Журнал клавиатуры.txt" -- support@helpdesk.local < "$WORK/body06"

# 19: mutt reply with In-Reply-To/References, mutt attribution and a signature.
cat > "$WORK/draft19" <<'EOS'
From: Jürgen Weiß <juergen.weiss@example.de>
To: support@helpdesk.local
Subject: Re: [INC-000140] Keyboard broken
In-Reply-To: <ticket-INC-000140-2@helpdesk.local>
References: <mutt-06-first@client.example.de> <ticket-INC-000140-1@helpdesk.local>
 <ticket-INC-000140-2@helpdesk.local>

Yes, the replacement works. Thank you!

On Thu, Nov 26, 2026 at 10:40:00AM +0300, IT Support wrote:
> We have sent a replacement keyboard. Does it work?
>
> Regards,
> IT Support

-- 
Jürgen Weiß, Buchhaltung
EOS
CAPTURE="$OUT/19-mutt-reply-attribution-signature.eml" mutt -n -F "$WORK/muttrc" -H "$WORK/draft19" < /dev/null
echo corpus written to "$OUT"
