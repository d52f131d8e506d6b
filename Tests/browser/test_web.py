"""Browser tests of the web app: Debian's Chromium driven by Selenium 4, against `muster serve`
on loopback over a real PostgreSQL database loaded with the demo department.

scripts/test starts the server and projector, enrolls the demo users, then runs this file with:
  MUSTER_WEB_URL, MUSTER_BIN (the muster executable), MUSTER_DATABASE_URL, MUSTER_WEB_PASSWORD,
  MUSTER_TEST_OUTPUT (screenshots and the PDF go there).
Scenarios run in order (each builds on the last) and the file ends with "N passed, N failed".
"""

import base64
import datetime
import json
import os
import re
import subprocess
import sys
import time
import traceback

from pypdf import PdfReader
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

URL = os.environ["MUSTER_WEB_URL"]
MUSTER = os.environ["MUSTER_BIN"]
DATABASE = os.environ["MUSTER_DATABASE_URL"]
PASSWORD = os.environ["MUSTER_WEB_PASSWORD"]
OUTPUT = os.environ.get("MUSTER_TEST_OUTPUT", ".muster/test-output")
SHOTS = os.path.join(OUTPUT, "screenshots")
TODAY = datetime.date.today()


def muster(*args, user=None):
    env = dict(os.environ, MUSTER_DATABASE_URL=DATABASE)
    if user:
        env["MUSTER_USER"] = user
    return subprocess.run([MUSTER, *args], env=env, check=True, capture_output=True, text=True).stdout


def sql(query):
    return subprocess.run(["psql", "-qAt", "-d", DATABASE, "-c", query], check=True, capture_output=True, text=True).stdout.strip()


def events():
    return int(sql("SELECT count(*) FROM muster.events"))


class Browser:
    def __init__(self):
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"]:
            options.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.driver.implicitly_wait(0)
        self.shot_number = 0
        self.timings = []

    def phone(self):
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})

    def desktop(self):
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def get(self, path):
        start = time.monotonic()
        self.driver.get(URL + path)
        self.timings.append((path, time.monotonic() - start))

    def shot(self, name):
        self.shot_number += 1
        os.makedirs(SHOTS, exist_ok=True)
        self.driver.save_screenshot(os.path.join(SHOTS, f"{self.shot_number:02d}-{name}.png"))

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    def sign_in(self, user):
        self.driver.delete_all_cookies()
        self.get("/signin")
        self.driver.find_element(By.NAME, "user").send_keys(user)
        self.driver.find_element(By.NAME, "password").send_keys(PASSWORD)
        self.driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()
        WebDriverWait(self.driver, 10).until(lambda d: "/signin" not in d.current_url)

    def submit(self, form_selector):
        self.driver.find_element(By.CSS_SELECTOR, form_selector + " button[type=submit]").click()

    def offline(self, offline):
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd(
            "Network.emulateNetworkConditions",
            {"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


def check(condition, message):
    if not condition:
        raise AssertionError(message)


# The page each role may open, as the permission table has it (others answer 403).
PAGES = {
    "/fto": {"fto"},
    "/sergeant": {"training_sergeant", "command_staff", "chief"},
    "/chief": {"chief"},
    "/dashboard": {"training_sergeant", "command_staff", "chief", "compliance_reviewer"},
    "/admin/users": {"training_sergeant", "command_staff", "chief", "compliance_reviewer"},
    "/policy": {"fto", "trainee", "training_sergeant", "command_staff", "chief", "compliance_reviewer", "academy_instructor"},
}


class Scenarios:
    def __init__(self, browser):
        self.b = browser
        # A trainee in field training whose current-phase FTO may still rate (24-hour update not overdue).
        row = sql(
            "SELECT t.trainee_id, f FROM muster.trainee_status t, unnest(t.ftos) AS f "
            "WHERE t.stage = 'field_training' AND t.trainee_id = 'r-16' LIMIT 1")
        self.trainee, self.fto = row.split("|")
        self.released = "r-02"
        self.users = {
            "fto": self.fto, "trainee": self.trainee, "training_sergeant": "sgt.okafor", "command_staff": "lt.moss",
            "chief": "chief.perez", "compliance_reviewer": "audit.lane", "academy_instructor": "dep.vance",
        }

    def each_role_sees_only_what_it_may(self):
        for role, user in self.users.items():
            self.b.sign_in(user)
            for path, roles in PAGES.items():
                self.b.get(path)
                refused = "403" in self.b.driver.title
                check(refused == (role not in roles), f"{role} on {path}: title {self.b.driver.title!r}")
                if refused:
                    check("may not" in self.b.text(), f"{role} on {path}: the refusal says why")
            self.b.get("/")
            self.b.shot(f"home-{role}")

    def dor_form(self, narrative, low):
        d = self.b.driver
        for fieldset in d.find_elements(By.CSS_SELECTOR, "fieldset.category"):
            name = fieldset.get_attribute("id")[len("cat-"):]
            value = "2" if low and name == "report_writing" else ("NO" if name == "driving_stress" else "4")
            fieldset.find_element(By.CSS_SELECTOR, f"label[for='r-{name}-{value}']").click()
        area = d.find_element(By.NAME, "narrative")
        area.clear()
        if narrative:
            area.send_keys(narrative)
        d.find_element(By.NAME, "_password").send_keys(PASSWORD)

    def fto_files_a_dor_on_a_phone(self):
        b, d = self.b, self.b.driver
        b.phone()
        b.sign_in(self.fto)
        b.get("/fto")
        b.shot("fto-today")
        d.find_element(By.CSS_SELECTOR, f"a[href='/trainees/{self.trainee}/dor']").click()
        check(d.execute_script("return document.documentElement.scrollWidth") <= 390, "the DOR form fits a 390 px phone")
        size = len(d.page_source.encode())
        print(f"browser: DOR form page {size} bytes (+ muster.css, muster.js)")
        check(size < 100_000, f"the DOR form weighs {size} bytes")
        b.shot("dor-form")
        before = events()
        self.dor_form("", low=True)
        b.submit("form.dor")
        WebDriverWait(d, 10).until(lambda d: d.find_elements(By.ID, "error-narrative"))
        check("need a narrative" in d.find_element(By.ID, "error-narrative").text, "the rule's words beside the narrative")
        check(events() == before, "a refused report records nothing")
        b.shot("dor-refused")
        self.dor_form("Report writing below standard: two returns for corrections.", low=True)
        b.submit("form.dor")
        WebDriverWait(d, 10).until(lambda d: "/fto" in d.current_url and "done=signed" in d.current_url)
        check(events() == before + 1, "one DOR recorded")
        b.shot("dor-signed")

    def second_dor_waits_offline_then_is_sent_once(self):
        b, d = self.b, self.b.driver
        history = json.loads(muster("history", self.trainee, "--json"))
        lines = history if isinstance(history, list) else history.get("items", history.get("history", []))
        taken = {json.loads(line["data"]).get("shiftDate") for line in lines if "daily-observation" in line["type"] or "DailyObservation" in line["type"]}
        date = next(str(TODAY - datetime.timedelta(days=n)) for n in range(1, 20) if str(TODAY - datetime.timedelta(days=n)) not in taken)
        b.get(f"/trainees/{self.trainee}/dor")
        date_field = d.find_element(By.NAME, "date")
        d.execute_script("arguments[0].value = arguments[1]", date_field, date)
        self.dor_form("", low=False)
        before = events()
        b.offline(True)
        WebDriverWait(d, 10).until(lambda d: d.execute_script("return navigator.onLine") is False)
        b.submit("form.dor")
        WebDriverWait(d, 10).until(lambda d: d.find_element(By.ID, "outbox").is_displayed())
        check("waiting to send" in d.find_element(By.ID, "outbox").text, "the page says what is waiting")
        b.shot("dor-waiting-offline")
        check(events() == before, "nothing recorded while offline")
        b.offline(False)
        WebDriverWait(d, 20).until(lambda d: not d.find_element(By.ID, "outbox").is_displayed())
        check(events() == before + 1, f"sent once: {events() - before} events")
        d.execute_script("window.dispatchEvent(new Event('online'))")
        time.sleep(1.5)
        check(events() == before + 1, "a second 'online' sends nothing again")
        b.shot("dor-sent")
        b.desktop()

    def trainee_acknowledges(self):
        b, d = self.b, self.b.driver
        b.sign_in(self.trainee)
        b.get(f"/trainees/{self.trainee}/reports")
        before = events()
        form = d.find_element(By.CSS_SELECTOR, "form.inline[action$='record.ft.ack']")
        form.find_element(By.NAME, "_password").send_keys(PASSWORD)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(d, 10).until(lambda d: "done=signed" in d.current_url)
        check(events() == before + 1, "the acknowledgement is recorded")
        b.shot("trainee-acknowledged")

    def sergeant_sees_tracking_sheet_and_signs_off(self):
        b, d = self.b, self.b.driver
        # An FTO who did not train the phase files its evaluation (so the sergeant may sign it off).
        ftos = [f for f in ["fto.ramos", "fto.chen", "fto.walker", "fto.nguyen", "fto.brooks"] if f != self.fto]
        phase = sql(f"SELECT phase FROM muster.trainee_status WHERE trainee_id = '{self.trainee}'")
        for evaluator in ftos:
            try:
                muster("ft", "evaluate-phase", self.trainee, "--phase", phase, "--recommend", "advance", "--narrative",
                       "Meets the standard.", *sum([["--rating", f"{c}=4"] for c in self.categories()], []), user=evaluator)
                break
            except subprocess.CalledProcessError:
                continue
        b.sign_in("sgt.okafor")
        today = str(TODAY)
        for _ in range(50):  # the projector follows the log
            b.get(f"/trainees/{self.trainee}")
            if today in d.page_source:
                break
            time.sleep(0.2)
        check(d.find_elements(By.CSS_SELECTOR, "svg.chart rect.cell"), "the tracking sheet is drawn")
        check(today in d.page_source, "the tracking sheet shows today's DOR")
        b.shot("sergeant-tracking-sheet")
        before = events()
        form = d.find_element(By.ID, "sign-off")
        form.find_element(By.NAME, "_password").send_keys(PASSWORD)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(d, 10).until(lambda d: "done=signed" in d.current_url or "Refused" in d.title)
        b.shot("sergeant-sign-off")
        check("done=signed" in d.current_url, f"phase signed off: {b.text()[:300]}")
        check(events() == before + 1, "the sign-off is recorded")

    def categories(self):
        policy = json.loads(muster("policy", "show", "--json"))
        found = policy.get("policy", policy).get("fieldTraining", {}).get("categories", [])
        return found or ["report_writing"]

    def chief_concurs(self):
        b, d = self.b, self.b.driver
        released = self.released
        # Set up a release awaiting concurrence: the chief retracts the probation start and the
        # concurrence of an officer the demo released (the request stays).
        lines = json.loads(muster("history", released, "--json"))
        lines = lines if isinstance(lines, list) else lines.get("items", lines.get("history", []))
        for kind in ["probation.started", "solo-patrol-cleared"]:
            entry = [line for line in lines if kind in line["type"] and not line.get("amendedBy")][-1]
            muster("retract", released, "--entry", entry["entry"], "--reason", "browser test: undo to concur again", user="chief.perez")
        b.sign_in("chief.perez")
        b.get("/chief")
        b.shot("chief-releases")
        b.get(f"/trainees/{released}/release")
        check(d.find_elements(By.ID, "attestation"), "the FTO's attestation is shown")
        before = events()
        form = d.find_element(By.ID, "concur")
        form.find_element(By.NAME, "_password").send_keys(PASSWORD)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(d, 10).until(lambda d: "done=signed" in d.current_url or "Refused" in d.title)
        check("done=signed" in d.current_url, f"concurred: {b.text()[:300]}")
        check(events() == before + 1, "the concurrence is recorded")
        b.shot("chief-concurred")

    def dashboard_charts(self):
        b, d = self.b, self.b.driver
        b.sign_in("lt.moss")
        # The demo has nobody in solo patrol outside probation; the chief's concurrence put r-02
        # there (its probation start retracted): the recruits-per-stage numbers show it once the
        # projector has applied it.
        solo = None
        for _ in range(50):
            b.get("/dashboard")
            text = d.find_element(By.CSS_SELECTOR, "#chart-stages table").get_attribute("textContent")
            match = re.search(r"Solo patrol\s*(\d+)", text)
            solo = int(match.group(1)) if match else None
            if solo == 1:
                break
            time.sleep(0.2)
        check(solo == 1, f"the dashboard counts the new release: solo patrol {solo}")
        charts = d.find_elements(By.CSS_SELECTOR, "section.chart-card svg")
        check(len(charts) >= 5, f"{len(charts)} charts")
        check(d.find_elements(By.CSS_SELECTOR, "#chart-releases line.target"), "the target line")
        b.shot("dashboard")

    def reviewer_timeline_and_completion_record(self):
        b, d = self.b, self.b.driver
        b.sign_in("audit.lane")
        b.get("/trainees/r-03/timeline")
        pairs = d.find_elements(By.CSS_SELECTOR, ".entry .pair .correction")
        check(pairs, "a correction beside its original")
        check("officer_safety" in d.find_element(By.CSS_SELECTOR, ".entry .pair").get_attribute("textContent"), "old and new values")
        check(d.find_elements(By.ID, "audit-seal") and d.find_elements(By.ID, "audit-result"), "the audit state shows on load")
        b.shot("reviewer-timeline")
        b.get(f"/trainees/{self.released}/completion")
        check("Concurrence signed by chief.perez" in b.text(), "the completion record shows the concurrence")
        b.shot("completion-record")
        pdf = base64.b64decode(d.execute_cdp_cmd("Page.printToPDF", {"printBackground": False})["data"])
        os.makedirs(OUTPUT, exist_ok=True)
        path = os.path.join(OUTPUT, "completion-record.pdf")
        with open(path, "wb") as file:
            file.write(pdf)
        check(pdf.startswith(b"%PDF"), "a PDF")
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        check(not d.find_element(By.CSS_SELECTOR, "header.bar").is_displayed(), "the print view leaves out the navigation")
        check(d.find_element(By.ID, "concurrence").is_displayed(), "the print view shows the concurrence")
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        # The PDF's own text (pypdf), not the page it was printed from.
        text = " ".join(page.extract_text() or "" for page in PdfReader(path).pages)
        flat = " ".join(text.split())
        check("Concurrence signed by chief.perez" in flat, f"the PDF holds the chief's concurrence: {flat[:400]!r}")
        check("Field training completion record" in flat, "the PDF is the completion record")

    def markup_in_a_name_shows_as_text(self):
        b, d = self.b, self.b.driver
        name = "<script>alert('x')</script> <b>Bold</b>"
        muster("trainee", "hire", "--name", name, "--badge", "X-1", "--hire-date", str(TODAY), "--id", "r-markup", user="sgt.okafor")
        b.sign_in("sgt.okafor")
        b.get("/trainees/r-markup/reports")
        check(name in d.find_element(By.TAG_NAME, "h1").text, "the name shows as typed")
        check(not d.find_elements(By.CSS_SELECTOR, "main b"), "no markup from the name")
        check(len(d.find_elements(By.TAG_NAME, "script")) == 1, "only muster.js")
        b.shot("markup-name")


    def account_password_and_tokens(self):
        b, d = self.b, self.b.driver
        user, new = "dep.vance", PASSWORD + " changed"
        b.phone()
        b.sign_in(user)
        b.get("/account/password")
        form = d.find_element(By.ID, "change-password")
        form.find_element(By.NAME, "current").send_keys("not the password")
        form.find_element(By.NAME, "password").send_keys(new)
        form.find_element(By.NAME, "again").send_keys(new)
        b.submit("#change-password")
        WebDriverWait(d, 10).until(lambda d: d.find_elements(By.ID, "error-current"))
        b.shot("password-refused")
        form = d.find_element(By.ID, "change-password")
        form.find_element(By.NAME, "current").send_keys(PASSWORD)
        form.find_element(By.NAME, "password").send_keys(new)
        form.find_element(By.NAME, "again").send_keys(new)
        b.submit("#change-password")
        WebDriverWait(d, 10).until(lambda d: "done=password" in d.current_url)
        b.shot("password-changed")
        b.get("/account/tokens")
        form = d.find_element(By.ID, "create-token")
        form.find_element(By.NAME, "name").send_keys("gradebook export")
        b.submit("#create-token")
        WebDriverWait(d, 10).until(lambda d: d.find_elements(By.ID, "token-secret"))
        secret = d.find_element(By.ID, "token-secret").text
        check(secret.startswith("mt_"), "the new token's secret is shown")
        check(d.execute_script("return document.documentElement.scrollWidth") <= 390, "the tokens page fits a 390 px phone")
        b.shot("token-made")
        b.get("/account/tokens")
        check(secret not in d.page_source, "the secret is shown once")
        b.desktop()
        # The old password no longer signs in; the new one does.
        d.delete_all_cookies()
        b.get("/signin")
        d.find_element(By.NAME, "user").send_keys(user)
        d.find_element(By.NAME, "password").send_keys(PASSWORD)
        d.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()
        WebDriverWait(d, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "p.error"))
        check("/signin" in d.current_url, "the old password is refused")
        d.find_element(By.NAME, "user").clear()
        d.find_element(By.NAME, "user").send_keys(user)
        d.find_element(By.NAME, "password").send_keys(new)
        d.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()
        WebDriverWait(d, 10).until(lambda d: "/signin" not in d.current_url)


def main():
    browser = Browser()
    scenarios = Scenarios(browser)
    order = [
        "each_role_sees_only_what_it_may", "fto_files_a_dor_on_a_phone", "second_dor_waits_offline_then_is_sent_once",
        "trainee_acknowledges", "sergeant_sees_tracking_sheet_and_signs_off", "chief_concurs", "dashboard_charts",
        "reviewer_timeline_and_completion_record", "markup_in_a_name_shows_as_text", "account_password_and_tokens",
    ]
    passed = failed = 0
    try:
        for name in order:
            start = time.monotonic()
            try:
                getattr(scenarios, name)()
                passed += 1
                print(f"ok   {name} ({time.monotonic() - start:.1f} s)")
            except Exception:
                failed += 1
                print(f"FAIL {name}")
                traceback.print_exc()
                browser.shot(f"failed-{name}")
    finally:
        slowest = sorted(browser.timings, key=lambda t: -t[1])[:5]
        print("browser: slowest page loads (whole round trip): " + ", ".join(f"{p} {t * 1000:.0f} ms" for p, t in slowest))
        browser.driver.quit()
    print(f"browser: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
