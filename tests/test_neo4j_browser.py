"""Neo4j Browser as the launcher serves it: real headless Chromium logs in with the launcher's
credentials, runs the README's `:params` line and a file of queries/, and draws a graph."""

import os
import re
import subprocess
import sys
from pathlib import Path

import neo4j
import pytest
from conftest import NEO4J_LOCAL, ROOT, Neo4jServer
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from kg.analyze import analyze_in_neo4j
from kg.cypher import read_query
from kg.db import run_query
from kg.load import load

FIXTURES = Path(__file__).parent / "fixtures" / "load"
README = (ROOT / "README.md").read_text(encoding="utf-8")
PARAMS = re.search(r"^ +(:params \{.*\})$", README, re.M)
CONFIG = re.search(r"^ +(:config .*)$", README, re.M)


def test_the_readme_s_params_line_declares_every_query_parameter() -> None:
    assert PARAMS is not None
    declared = re.findall(r"(\w+): null", PARAMS.group(1))
    used = {
        p for path in (ROOT / "queries").glob("*.cypher") for p in read_query(str(path)).parameters
    }
    assert sorted(declared) == sorted(used)


def _testid(name: str) -> str:
    return f'[data-testid="{name}"]'


def _type(driver: webdriver.Chrome, text: str) -> None:
    """Paste text into Browser's editor, as a person pasting a query file would, and run it."""
    editor = driver.find_element(By.CSS_SELECTOR, f"{_testid('activeEditor')} textarea")
    editor.click()
    driver.execute_script(
        """const data = new DataTransfer();
        data.setData("text/plain", arguments[1]);
        const paste = new ClipboardEvent("paste", {clipboardData: data, bubbles: true});
        arguments[0].dispatchEvent(paste);""",
        editor,
        text,
    )
    driver.find_element(By.CSS_SELECTOR, _testid("editor-Run")).click()


@pytest.mark.neo4j
@pytest.mark.browser
def test_browser_draws_the_ego_network(
    neo4j_server: Neo4jServer,
    neo4j_driver: neo4j.Driver,
    chromium: webdriver.Chrome,
    tmp_path: Path,
) -> None:
    if neo4j_server.http is None:
        pytest.skip("the external server in NEO4J_URI has no NEO4J_HTTP address")
    if not os.environ.get("NEO4J_URI"):
        env = subprocess.run(
            [sys.executable, str(NEO4J_LOCAL), "env"], capture_output=True, text=True, check=True
        )
        assert f"Neo4j Browser: {neo4j_server.http}/browser/ " in env.stderr
    load(FIXTURES / "salt_harbour", neo4j_driver)
    analyze_in_neo4j(neo4j_driver)
    query = read_query("ego_network")
    _, records = run_query(neo4j_driver, query, {"name": "Ada"}, database="neo4j")
    ego = {n for r in records for n in (r["source"]["name"], r["target"]["name"])}

    driver = chromium
    driver.get(f"{neo4j_server.http}/browser/")
    wait = WebDriverWait(driver, 60)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, _testid("username")))
    driver.find_element(By.CSS_SELECTOR, _testid("username")).send_keys(neo4j_server.user)
    driver.find_element(By.CSS_SELECTOR, _testid("password")).send_keys(neo4j_server.password)
    driver.find_element(By.CSS_SELECTOR, _testid("connect")).click()
    wait.until(lambda d: "connected as user" in d.find_element(By.TAG_NAME, "body").text)

    assert PARAMS is not None and CONFIG is not None
    _type(driver, PARAMS.group(1))
    wait.until(lambda d: '"kind": null' in d.find_element(By.TAG_NAME, "body").text)
    _type(driver, CONFIG.group(1))
    wait.until(lambda d: '"autoComplete": false' in d.find_element(By.TAG_NAME, "body").text)
    _type(driver, ":param name => 'mrs. marsh'")
    # Run the query only once Browser holds the name (else it runs with name null).
    wait.until(lambda d: '"name": "mrs. marsh"' in d.find_element(By.TAG_NAME, "body").text)
    _type(driver, read_query("ego_network").text)
    nodes = "svg g.node"
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, nodes)) == len(ego))
    drawn = "svg g.relationship"  # the query's ties only: no FAMILY_MEMBER added
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, drawn))
    kinds = {r.text for r in driver.find_elements(By.CSS_SELECTOR, drawn)}
    assert kinds and not any("FAMILY" in k for k in kinds), kinds  # captions may be cut
    captions = {" ".join(n.text.split()) for n in driver.find_elements(By.CSS_SELECTOR, nodes)}
    assert captions == ego and "Ada Marsh" in captions
    errors = driver.find_elements(By.CSS_SELECTOR, _testid("frame") + " .error, h4.error")
    assert not errors
    shot = tmp_path / "browser.png"
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 30_000
