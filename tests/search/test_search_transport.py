"""Rate limiter, HTTP client (retries, Retry-After, redaction) and user configuration."""

import threading

import pytest
from search_fake_servers import SyntheticPubmed

from sysrev.errors import InputError
from sysrev.search import ratelimit
from sysrev.search.config import SearchConfig, load_config, user_config_path
from sysrev.search.http import HttpClient, HttpError, redact, retry_after_seconds
from sysrev.search.ratelimit import RateLimiter


def test_limiter_spaces_requests_at_the_rate(clock):
    limiter = RateLimiter(3, clock=clock, sleep=clock.sleep, margin=0.0)
    starts = []
    for _ in range(7):
        limiter.wait()
        starts.append(clock.now)
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert all(g == pytest.approx(1 / 3) for g in gaps)
    # never more than 3 starts in any one-second window
    assert all(sum(1 for t in starts if s <= t < s + 1.0) <= 3 for s in starts)


def test_limiter_with_key_is_ten_per_second(clock):
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep, margin=0.0)
    for _ in range(11):
        limiter.wait()
    assert clock.now - 1000.0 == pytest.approx(1.0)


def test_limiter_pause_delays_the_next_slot(clock):
    limiter = RateLimiter(3, clock=clock, sleep=clock.sleep)
    limiter.wait()
    limiter.pause(30)
    limiter.wait()
    assert clock.now - 1000.0 >= 30


def test_shared_limiter_is_one_per_service_and_takes_the_strictest_rate(monkeypatch):
    monkeypatch.setattr(ratelimit, "_registry", {})
    a = ratelimit.shared_limiter("eutils", 10)
    b = ratelimit.shared_limiter("eutils", 3)
    assert a is b and a.rate == 3
    assert ratelimit.shared_limiter("scopus", 6) is not a


def test_limiter_is_thread_safe(clock):
    limiter = RateLimiter(3, clock=clock, sleep=lambda s: None, margin=0.0)
    threads = [threading.Thread(target=limiter.wait) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert limiter._next == pytest.approx(1000.0 + 30 / 3)


def test_retry_after_header_forms():
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past


def test_redact_masks_keys_emails_and_known_secrets():
    text = "GET https://x/esearch.fcgi?term=a&api_key=ABC123&email=me%40ex.org X-ELS-APIKey: K9 token T1"
    out = redact(text, ["T1"])
    assert "ABC123" not in out and "me%40ex.org" not in out and "K9" not in out and "T1" not in out
    assert "term=a" in out
    body = '{"error":"API rate limit exceeded","api-key":"UNKNOWNKEY","count":"11","limit":"10"}'
    assert redact(body) == '{"error":"API rate limit exceeded","api-key":"***","count":"11","limit":"10"}'


def test_unretryable_http_error_fails_at_once_without_the_key(make_server, clock):
    server = make_server(pubmed=SyntheticPubmed(1))
    server.fault("esearch", "body", status=400, body=b"bad request for api_key=SEKRET99")
    client = HttpClient(RateLimiter(3, clock=clock, sleep=clock.sleep), secrets=["SEKRET99"], timeout=(1, 1))
    with pytest.raises(HttpError) as info:
        client.get(server.url + "esearch.fcgi", params={"api_key": "SEKRET99", "term": "x"})
    assert info.value.status == 400 and client.stats["requests"] == 1
    assert "SEKRET99" not in str(info.value) and "HTTP 400" in str(info.value)


def test_backoff_doubles_between_attempts(make_server, clock):
    server = make_server(pubmed=SyntheticPubmed(1))
    server.fault("esearch", "503", times=3)
    client = HttpClient(RateLimiter(3, clock=clock, sleep=clock.sleep), timeout=(1, 1), max_attempts=4)
    client.get(server.url + "esearch.fcgi", params={"term": "x"})
    assert [round(s) for s in clock.sleeps if s > 0.5] == [1, 2, 4]
    assert client.stats["retries"] == 3 and client.stats["status_503"] == 3


def test_connection_refused_is_retried_then_reported(clock):
    client = HttpClient(RateLimiter(3, clock=clock, sleep=clock.sleep), secrets=["KEYX"], timeout=(0.2, 0.2),
                        max_attempts=3)
    with pytest.raises(HttpError, match="gave up after 3 attempts") as info:
        client.get("http://127.0.0.1:9/esearch.fcgi", params={"api_key": "KEYX"})
    assert "KEYX" not in str(info.value) and client.stats["connection_errors"] == 3


def test_config_env_wins_over_user_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[ncbi]\napi_key = "FILEKEY"\nemail = "file@example.org"\n[elsevier]\napi_key = "ELS"\n'
                    '[urls]\neutils = "http://127.0.0.1:1/"\n')
    config = load_config(env={"NCBI_API_KEY": "ENVKEY"}, path=path)
    assert config.ncbi_api_key == "ENVKEY" and config.ncbi_email == "file@example.org"
    assert config.elsevier_api_key == "ELS" and config.eutils_url == "http://127.0.0.1:1/"
    assert "ENVKEY" not in repr(config) and "ELS'" not in repr(config)
    assert set(config.secrets()) == {"ENVKEY", "file@example.org", "ELS"}


def test_config_defaults_and_bad_file(tmp_path):
    assert load_config(env={}, path=tmp_path / "missing.toml") == SearchConfig()
    bad = tmp_path / "bad.toml"
    bad.write_text("[ncbi\n")
    with pytest.raises(InputError, match="bad.toml"):
        load_config(env={}, path=bad)
    assert user_config_path({"XDG_CONFIG_HOME": "/x"}).as_posix() == "/x/sysrev/config.toml"
    assert user_config_path({"SYSREV_CONFIG": "/y/c.toml"}).as_posix() == "/y/c.toml"
