from django.utils import translation

from gezien.customers.models import Customer
from gezien.customers.selectors import customer_search
from gezien.customers.services import customer_create


def _names(hits) -> list[str]:
    return [hit.customer.full_name for hit in hits]


def test_search_finds_a_customer_by_each_identity(customer: Customer) -> None:
    for query in ("06 12345678", "+31612345678", "A.JANSEN@ziggo.nl", "1234 ab 12", customer.customer_number):
        assert _names(customer_search(query)) == ["Annie Jansen"], query


def test_search_by_name_ignores_case_and_order_of_words(customer: Customer) -> None:
    assert _names(customer_search("jansen annie")) == ["Annie Jansen"]
    assert _names(customer_search("ANNIE")) == ["Annie Jansen"]


def test_a_postcode_alone_shows_everyone_living_there(customer: Customer) -> None:
    customer_create(first_name="Henk", last_name="Jansen", identities=[("address", "1234 AB|14|")])
    customer_create(first_name="Elders", last_name="Woont", identities=[("address", "5678 CD|1|")])
    assert sorted(_names(customer_search("1234AB"))) == ["Annie Jansen", "Henk Jansen"]


def test_several_matches_are_all_shown_not_one_picked(customer: Customer) -> None:
    customer_create(first_name="Anton", last_name="Jansen")
    assert sorted(_names(customer_search("jansen"))) == ["Annie Jansen", "Anton Jansen"]


def test_empty_or_unknown_query_finds_nothing(customer: Customer) -> None:
    assert customer_search("   ") == []
    assert customer_search("niemand-bekend") == []


def test_postcode_and_house_number_are_found_with_or_without_spaces(db: None) -> None:
    customer_create(first_name="Joke", last_name="Mulder", identities=[("address", "1052 EP|138|")])
    for query in ("1052EP138", "1052 EP 138", "1052ep 138", "1052 EP138"):
        [hit] = customer_search(query)
        assert (hit.customer.full_name, hit.matched_on) == ("Joke Mulder", "address"), query


def test_a_hit_says_in_words_what_it_was_found_on(customer: Customer) -> None:
    with translation.override("nl"):
        assert [hit.matched_label for hit in customer_search("annie")] == ["Naam"]
        assert [hit.matched_label for hit in customer_search("1234AB12")] == ["Postcode + huisnummer"]
    with translation.override("en"):
        assert [hit.matched_label for hit in customer_search(customer.customer_number)] == ["Customer number"]
