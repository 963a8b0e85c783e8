"""instantly.workflows.Unibox against instantly-mock: lazy paging, 429s waited out (never raised),
Ctrl-C during a wait, the GIL released while waiting, threads, unread count, mark read, replying
in-thread, and classification with the keyword default and with Python classifiers."""
from __future__ import annotations

import _thread
import threading
import time

import pytest

from conftest import SCHEDULE, TEST_KEY, CounterThread

import instantly
from instantly import workflows
from instantly.types import Email

SEQUENCE = {"steps": [{"type": "email", "delay": 1,
                       "variants": [{"subject": "Quick question", "body": "Hi {{firstName}}"}]}]}


@pytest.fixture
def client(mock):
    # No client-side limiting here: this module lists emails more than 20 times a minute, and the
    # client's own limiter would make the later tests really wait. The C++ tests cover it.
    mock.request("POST", "/__mock/reset", {})
    with instantly.Client(api_key=TEST_KEY, base_url=mock.url, max_retries=2, rate_limit=False) as c:
        yield c


def campaign_with_replies(client, mock, leads=3, auto_replies=False):
    campaign = client.campaigns.create(name="Unibox", campaign_schedule=SCHEDULE, sequences=[SEQUENCE],
                                       email_list=["me@acme.test"])
    client.leads.add(campaign_id=campaign.id,
                     leads=[{"email": f"person{i}@client.test", "first_name": f"Person{i}"} for i in range(leads)])
    client.campaigns.activate(campaign.id)
    rates = {"opened": 0, "clicked": 0, "replied": 1, "bounced": 0, "unsubscribed": 0,
             "auto_reply": 1 if auto_replies else 0}
    status, sent, _ = mock.request("POST", "/__mock/send", {"campaign_id": campaign.id, "seed": 5, "rates": rates})
    assert status == 200 and sent["events"]["reply_received"] == leads
    return campaign.id


def list_calls(mock):
    return mock.request("GET", "/__mock/stats")[1]["operations"].get("listEmail", 0)


def queue_429(mock, retry_after, times):
    mock.request("POST", "/__mock/responses", {"status": 429, "headers": {"Retry-After": str(retry_after)},
                                               "path": "/api/v2/emails", "times": times})


def test_emails_are_lazy_typed_and_page_through(client, mock):
    campaign = campaign_with_replies(client, mock, leads=5)
    unibox = workflows.Unibox(client, page_size=2)
    before = list_calls(mock)
    emails = unibox.emails(campaign_id=campaign)
    assert list_calls(mock) == before  # nothing fetched until iterated
    first = next(emails)
    assert isinstance(first, Email)
    assert list_calls(mock) == before + 1
    rest = list(emails)
    received = [first] + rest
    assert len(received) == 5 and len({e.id for e in received}) == 5
    assert all(e.ue_type == 2 and e.campaign_id == campaign for e in received)
    assert list_calls(mock) >= before + 3  # pages of 2

    everything = list(unibox.emails(campaign_id=campaign, email_type=None))
    assert len(everything) == 10  # the campaign mails too
    assert [e.id for e in everything] == sorted((e.id for e in everything), reverse=True)  # newest first


def test_a_429_is_waited_out_with_retry_after_and_never_raised(client, mock):
    campaign_with_replies(client, mock, leads=2)
    slept, waits = [], []
    # Without retries in the client every 429 reaches the listing, whose waits go through `sleep`.
    unibox = workflows.Unibox(client.with_options(max_retries=0), sleep=slept.append, on_wait=waits.append)
    queue_429(mock, 7, times=4)
    emails = list(unibox.emails())
    assert len(emails) == 2
    assert slept == [7.0] * 4
    assert [w.status for w in waits] == [429] * 4
    assert all(w.from_retry_after for w in waits)
    assert [w.attempt for w in waits] == [1, 2, 3, 4]
    # With the client's retries, the listing waits only once they are spent.
    slept.clear()
    queue_429(mock, 0, times=4)
    assert len(list(workflows.Unibox(client, sleep=slept.append).emails())) == 2
    assert slept == [0.0]
    # The plain generated call, by contrast, gives up after its retries.
    queue_429(mock, 0, times=3)
    with pytest.raises(instantly.RateLimitError):
        list(client.emails.list())


def test_ctrl_c_interrupts_a_rate_limit_wait(client, mock):
    campaign_with_replies(client, mock, leads=1)
    queue_429(mock, 30, times=5)
    unibox = workflows.Unibox(client)  # the real, interruptible wait
    timer = threading.Timer(0.3, _thread.interrupt_main)
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            list(unibox.emails())
    finally:
        timer.cancel()
    assert time.monotonic() - started < 20  # not the 30 s Retry-After


def test_the_gil_is_released_while_waiting(client, mock):
    campaign_with_replies(client, mock, leads=1)
    queue_429(mock, 1, times=1)
    unibox = workflows.Unibox(client)
    with CounterThread() as counter:
        before = counter.count
        assert len(list(unibox.emails())) == 1
        during = counter.count - before
    assert during > 10_000  # the counting thread ran during the one-second wait


def test_threads_unread_count_and_mark_read(client, mock):
    campaign = campaign_with_replies(client, mock, leads=3)
    unibox = workflows.Unibox(client)
    assert unibox.unread_count() == 3

    threads = unibox.threads(campaign_id=campaign, email_type=None)
    assert len(threads) == 3
    assert {t.lead for t in threads} == {"person0@client.test", "person1@client.test", "person2@client.test"}
    for thread in threads:
        assert isinstance(thread, workflows.EmailThread)
        assert thread.has_api_id and thread.unread and thread.unread_count == 1
        assert [m.ue_type for m in thread.messages] == [2, 1]  # the reply above the campaign mail
        assert thread.last_received is thread.last_message
        assert thread.campaign_id == campaign
        assert "lead='person" in repr(thread)

    assert unibox.mark_thread_read(threads[0]) is True
    assert unibox.unread_count() == 2
    assert {t.id for t in unibox.threads(is_unread=True)} == {threads[1].id, threads[2].id}
    assert unibox.mark_thread_read(threads[1].id) is True
    assert unibox.unread_count() == 1
    with pytest.raises(instantly.NotFoundError):
        unibox.mark_thread_read("019a0000-0000-7000-8000-00000000dead")


def test_reply_goes_out_in_the_thread(client, mock):
    campaign = campaign_with_replies(client, mock, leads=2)
    unibox = workflows.Unibox(client)
    thread = unibox.threads(campaign_id=campaign, email_type=None)[0]
    answered = thread.last_received

    sent = unibox.reply(thread, body="Happy to talk.\nDoes Tuesday work?")
    assert isinstance(sent, Email)
    assert sent.thread_id == thread.id
    assert sent.eaccount == "me@acme.test"
    assert sent.to_address_email_list == thread.lead
    assert sent.subject == "Re: Quick question"
    assert sent.body.text == "Happy to talk.\nDoes Tuesday work?"

    again = unibox.threads(search=f"thread:{thread.id}", email_type=None)
    assert len(again) == 1 and len(again[0].messages) == 3
    assert again[0].last_message.id == sent.id
    assert again[0].last_received.id == answered.id

    html = unibox.reply(answered.to_dict(), html="<p>See you</p>", subject="Tuesday")
    assert html.subject == "Tuesday" and html.thread_id == thread.id
    with pytest.raises(instantly.ValidationError):
        unibox.reply(answered)  # no body


def test_filters_are_checked_before_anything_is_sent(client, mock):
    unibox = workflows.Unibox(client)
    before = list_calls(mock)
    with pytest.raises(instantly.ValidationError):
        unibox.emails(email_type="inbox")
    with pytest.raises(instantly.ValidationError):
        unibox.emails(is_unread="yes")
    with pytest.raises(instantly.ValidationError):
        workflows.Unibox(client, page_size=101)
    assert list_calls(mock) == before


def test_i_status_filter_follows_the_leads_interest(client, mock):
    campaign = campaign_with_replies(client, mock, leads=2)
    unibox = workflows.Unibox(client)
    assert list(unibox.emails(i_status=1)) == []
    client.leads.update_interest_status(lead_email="person1@client.test", interest_value=1)
    interested = list(unibox.emails(campaign_id=campaign, i_status=1))
    assert [e.lead for e in interested] == ["person1@client.test"]


def test_keyword_classifier_labels_and_quoted_text():
    classifier = workflows.KeywordReplyClassifier()
    assert classifier.classify("Not interested, remove me.").label == workflows.ReplyLabel.UNSUBSCRIBE
    assert classifier.classify("Not interested, thanks.").label == "not_interested"
    c = classifier.classify("Who are you?\n\nOn Mon, Sam <s@a.test> wrote:\n> Interested in a demo?")
    assert c.label == "other" and c.reason == "no keyword matched"
    assert classifier.classify("Thanks", subject="Automatic reply: hi").label == "out_of_office"
    assert workflows.reply_text("Yes\n> quoted\nplease") == "Yes\nplease"

    german = workflows.KeywordReplyClassifier(interested=["ja bitte"], extend=True)
    assert german.classify("Ja bitte!").label == "interested"
    assert german.classify("not interested").label == "not_interested"  # defaults kept
    assert "ja bitte" in german.keywords["interested"]
    replaced = workflows.KeywordReplyClassifier(interested=["ja bitte"])
    assert replaced.classify("sounds great").label == "other"
    assert "unsubscribe" in workflows.KeywordReplyClassifier.default_keywords()["unsubscribe"]


def test_classify_mock_replies_with_the_default_and_with_python_classifiers(client, mock):
    campaign = campaign_with_replies(client, mock, leads=6, auto_replies=True)
    unibox = workflows.Unibox(client)
    received = list(unibox.emails(campaign_id=campaign))
    assert len(received) == 12

    for item in unibox.classify(received):
        if item.email.is_auto_reply == 1:
            assert item.label == "out_of_office"
        elif "not the right time" in item.email.body.text:
            assert item.label == "not_interested"
        else:
            assert item.label == "interested"

    # A plain function returning a label string, as an LLM wrapper would.
    seen = []

    def llm(email):
        seen.append(workflows.reply_text(email))
        return "Interested" if "?" in seen[-1] else "other"

    by_function = unibox.classify(received, classifier=llm)
    assert len(seen) == 12 and all("wrote:" not in text for text in seen)
    assert {item.label for item in by_function} <= {"interested", "other"}

    # An object with classify() returning a Classification or a mapping.
    class Scored:
        def classify(self, email):
            if email.is_auto_reply == 1:
                return workflows.Classification("out_of_office", 0.99, "auto")
            return {"label": "interested", "confidence": 0.5, "reason": "optimist"}

    scored = unibox.classify(received, classifier=Scored())
    assert all(isinstance(item.classification, workflows.Classification) for item in scored)
    assert {(i.label, i.classification.confidence) for i in scored} == {("out_of_office", 0.99), ("interested", 0.5)}

    with pytest.raises(instantly.ValidationError):
        unibox.classify(received[:1], classifier=lambda email: "maybe")
    with pytest.raises(TypeError):
        unibox.classify(received[:1], classifier=42)
