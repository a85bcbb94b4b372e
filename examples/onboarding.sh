#!/usr/bin/env bash
# An HR onboarding pipeline with qim: template -> returned sheet -> validate -> JSON result.
#
#   examples/onboarding.sh [WORKDIR]
#
# WORKDIR (default ./onboarding) receives:
#   outbox/<id>.toml     the blank sheet to send to the new hire
#   inbox/<id>.toml      the sheet as it comes back (simulated here)
#   results/<id>.json    the stored JSON result (qim report --format json)
#
# Environment:
#   HIRE_ID      respondent id of the new hire      (default: new-hire-001)
#   BACKGROUND   clinical | traditional             (default: clinical)
#   ROLE         a role of that background          (default: the first role the template
#                lists for it: nurse for clinical, operations_manager for traditional)
#   YEARS        years as a QIM                     (default: 0.5)
#   SIMULATE     "good" or "bad": whether the simulated return is valid (default: good)
#   QIM          the qim command                    (default: qim on PATH, else the qim that
#                the README's set-up installs in this repository's .venv, else the qim
#                next to the python3 on PATH)
#
# qim never prompts, so this runs unattended. Its exit codes drive what happens next:
#   0 ok · 65 invalid data (send the sheet back) · 66 not found · 73 cannot write
#   (e.g. the result already exists; qim never overwrites without --force).
# This script exits with qim's code when a step fails, and with 69 when it finds no qim.

set -uo pipefail

if [ -z "${QIM:-}" ]; then
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  python=$(command -v python3 || true)
  for candidate in "$(command -v qim || true)" "$here/../.venv/bin/qim" \
                   "${python:+$(dirname "$python")/qim}"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then QIM=$candidate; break; fi
  done
  if [ -z "${QIM:-}" ]; then
    echo "onboarding: qim not found: install it (see the README) or set QIM, e.g. QIM=/path/to/qim" >&2
    exit 69
  fi
fi
WORK=${1:-onboarding}
HIRE_ID=${HIRE_ID:-new-hire-001}
BACKGROUND=${BACKGROUND:-clinical}
ROLE=${ROLE:-}
YEARS=${YEARS:-0.5}
SIMULATE=${SIMULATE:-good}

mkdir -p "$WORK/outbox" "$WORK/inbox" "$WORK/results" || exit 73
blank="$WORK/outbox/$HIRE_ID.toml"
returned="$WORK/inbox/$HIRE_ID.toml"
result="$WORK/results/$HIRE_ID.json"

step() { printf 'onboarding: %s\n' "$*" >&2; }

# 1. A blank sheet for the new hire, with the background filled in.
"$QIM" template --background "$BACKGROUND" -o "$blank" --force
rc=$?
case $rc in
  0) step "template for $HIRE_ID written to $blank" ;;
  *) step "could not make the template (exit $rc)"; exit "$rc" ;;
esac
# The template lists only the background's roles: `role = ""  # nurse | physician | ...`
if [ -z "$ROLE" ]; then
  ROLE=$(sed -n 's/^role = ""[[:space:]]*#[[:space:]]*\([a-z_]*\).*/\1/p' "$blank")
fi

# 2. The new hire fills it in. Simulated here: respondent fields from the environment,
#    then every remaining blank ("") answered 2..5 in turn. SIMULATE=bad puts a 7 on
#    the first item, as a hurried hand might.
awk -v id="$HIRE_ID" -v role="$ROLE" -v years="$YEARS" -v bad="$SIMULATE" '
  /^id = ""/           { sub(/""/, "\"" id "\"") }
  /^role = ""/         { sub(/""/, "\"" role "\"") }
  /^years_as_qim = ""/ { sub(/""/, years) }
  /^[a-z][a-z0-9_]* = ""/ {
    n++
    value = 2 + n % 4
    if (bad == "bad" && n == 1) value = 7
    sub(/""/, value)
  }
  { print }
' "$blank" > "$returned" || exit 73
step "returned sheet received: $returned"

# 3. Validate what came back; every question must be answered ("na" counts).
"$QIM" validate --complete "$returned"
rc=$?
case $rc in
  0)  step "sheet is valid" ;;
  65) step "sheet is invalid: sending it back to $HIRE_ID with the problems above"; exit 65 ;;
  66) step "returned sheet not found"; exit 66 ;;
  *)  step "validation failed unexpectedly (exit $rc)"; exit "$rc" ;;
esac

# 4. Store the JSON result for the HR system (never overwriting an earlier one).
"$QIM" report "$returned" --format json -o "$result"
rc=$?
case $rc in
  0)  step "result stored: $result" ;;
  73) step "a result for $HIRE_ID is already stored (or the folder is not writable); kept as is"; exit 73 ;;
  65) step "sheet became invalid between validation and report"; exit 65 ;;
  *)  step "report failed (exit $rc)"; exit "$rc" ;;
esac
exit 0
