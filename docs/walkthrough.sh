#!/usr/bin/env bash
# One campaign from creation to a drawn sample, with curl (the README's walkthrough, runnable as it is).
# Needs curl, jq, and a running service (API=, default http://localhost:3000) started with the same ADMIN_API_KEY.
set -euo pipefail
command -v jq >/dev/null || { echo "walkthrough.sh needs jq (apt-get install jq)" >&2; exit 1; }
API=${API:-http://localhost:3000}
H="Authorization: Bearer ${ADMIN_API_KEY:?set ADMIN_API_KEY to the key the service was started with}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# Every call retries a 503 or 429 after the Retry-After the service sends (curl honours it).
curl() { command curl --retry 5 --retry-delay 0 "$@"; }

# 1. The national tree (34 provinces, 3,321 communes), once per database.
# On a database that has it already the service answers 409, which is fine here.
status=$(curl -sS -o "$WORK/seed.json" -w '%{http_code}' -X POST -H "$H" "$API/v1/units/seed/vn-2025")
case $status in
  2*) jq '{imported, source}' "$WORK/seed.json" ;;
  409) echo "the national tree is already loaded" ;;
  *) cat "$WORK/seed.json" >&2; exit 1 ;;
esac

# 2. The province, and a provincial agency with its mã định danh.
PROVINCE=$(curl -fsS "$API/v1/units?code=25" | jq -r '.[0].id')
curl -sS -o /dev/null -X POST -H "$H" -H 'content-type: application/json' "$API/v1/units" \
  -d '{"agencyCode":"000.00.53.H48","parentCode":"25","level":"agency","name":"Sở Nội vụ","validFrom":"2025-07-01"}' >/dev/null || true
UNITS=$(curl -fsS "$API/v1/units?parentId=$PROVINCE&level=commune&limit=3" | jq -c '[.[].id]')
CODES=$(curl -fsS "$API/v1/units?parentId=$PROVINCE&level=commune&limit=3" | jq -r '[.[].code] | join(" ")')

# 3. The campaign (a draft), on the shipped standard questionnaire.
CAMPAIGN=$(curl -fsS -X POST -H "$H" -H 'content-type: application/json' "$API/v1/campaigns" -d @- <<JSON | jq -r .id
{"name": "SIPAS Phú Thọ 2026", "year": 2026, "provinceId": "$PROVINCE", "instrument": {"code": "SIPAS-2017", "version": 1},
 "units": $UNITS, "periodStart": "2025-10-01", "periodEnd": "2026-09-30",
 "collectionStart": "2026-10-01", "collectionEnd": "2026-11-30", "marginOfError": 0.05, "channels": ["interview"]}
JSON
)
echo "campaign $CAMPAIGN"

# 4. The sampling frame, as the one-stop-shop software exports it for the national portal (NDJSON here).
i=0
for code in $CODES; do
  for n in $(seq 1 300); do
    i=$((i + 1))
    printf '{"MaHoSo":"H48.%s-%05d","MaTTHC":"1.001612.000.00.00.H48","KenhThucHien":"%s","LoaiDoiTuong":"1","ChuHoSo":"Người dân %s","SoDienThoai":"09%08d","NgayTra":"202511%02d100000","TrangThaiHoSo":"10","DonViXuLy":"%s"}\n' \
      "$code" "$n" $((1 + n % 2)) "$i" "$i" $((1 + n % 28)) "$code"
  done
done > "$WORK/frame.ndjson"
curl -fsS -X POST -H "$H" -H 'content-type: application/x-ndjson' --data-binary @"$WORK/frame.ndjson" "$API/v1/campaigns/$CAMPAIGN/frame" | jq '{received, accepted, leftOut}'

# 5. Sampling: look at the design (Yamane per unit, at least 90 per commune, 80% response expected), then draw.
curl -fsS -X POST -H "$H" -H 'content-type: application/json' "$API/v1/campaigns/$CAMPAIGN/transitions" -d '{"to":"sampling"}' | jq -r .status
curl -fsS -X POST -H "$H" -H 'content-type: application/json' "$API/v1/campaigns/$CAMPAIGN/sample-design" \
  -d '{"stratifyBy":"unit-channel","minimumPerUnit":90,"expectedResponseRate":0.8,"reserveRate":0.25}' | jq '{populationSize, sampleSize, strata: [.strata[] | {stratum, populationSize, sampleSize}]}'
curl -fsS -X POST -H "$H" -H 'content-type: application/json' "$API/v1/campaigns/$CAMPAIGN/sample" -d '{"seed":"phu-tho-2026"}' | jq .

# 6. The sample for surveyors (CSV; add &include=contacts for phone numbers: administrators only, logged).
curl -fsS -H "$H" "$API/v1/campaigns/$CAMPAIGN/sample?format=csv&role=main" -o "$WORK/sample.csv"
head -3 "$WORK/sample.csv"
curl -fsS -X POST -H "$H" -H 'content-type: application/json' "$API/v1/campaigns/$CAMPAIGN/transitions" -d '{"to":"collecting"}' | jq -r .status
curl -fsS -H "$H" "$API/v1/campaigns/$CAMPAIGN/progress" | jq .total
