"""Desk views: the kennisbank (list with live search and filters, article, write, edit, review,
archive) and the article proposals for a contact with "heeft geholpen"."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gezien.contacts.addressing import contact_address
from gezien.contacts.models import Contact, ContactReason
from gezien.knowledge import selectors, services
from gezien.knowledge.forms import ArticleForm, FeedbackForm
from gezien.knowledge.models import Article
from gezien.web import converters  # noqa: F401  (the "id" path converter)
from gezien.web.pages import knowledge as pages
from gezien.web.views.common import actor, apply, redirect_next, requires, submit


def _article(article_id: int) -> Article:
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise Http404(_("Dit artikel bestaat niet."))
    return article


def _contact(contact_id: int) -> Contact:
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None:
        raise Http404(_("Dit contact bestaat niet."))
    return contact


def _flag(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


def _filters(request: HttpRequest) -> pages.Filters:
    code = request.GET.get("reason", "").strip()
    reason = ContactReason.objects.filter(code=code).first() if code else None
    return {
        "reason": reason,
        "tag": request.GET.get("tag", "").strip()[:40] or None,
        "stale": _flag(request.GET.get("stale")),
        "archived": request.GET.get("archived") == "1",
    }


@requires("knowledge.view_article")
def article_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").replace("\x00", " ").strip()[:500]
    page = pages.list_page(query, _filters(request), request.GET.get("page"))
    template = "web/knowledge_results.html" if request.htmx else "web/knowledge_list.html"  # type: ignore[attr-defined]
    return render(request, template, page)


@requires("knowledge.view_article")
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.article_detail(article_id)
    if article is None:
        raise Http404(_("Dit artikel bestaat niet."))
    return render(request, "web/knowledge_detail.html", pages.article_page(article))


def _form_page(
    request: HttpRequest, form: ArticleForm, article: Article | None, status: int = 200
) -> HttpResponse:
    return render(request, "web/knowledge_form.html", pages.form_page(form, article), status=status)


def _tags(data: dict[str, Any]) -> list[str]:
    return [t for t in (data.get("tags") or "").split(",") if t.strip()]


@requires("knowledge.add_article")
def article_create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _form_page(request, ArticleForm(initial={"owner": request.user}), None)
    created: list[Article] = []
    return submit(
        request,
        ArticleForm(request.POST),
        lambda data: created.append(
            services.article_create(
                title=data["title"],
                body=data["body"],
                customer_text_u=data["customer_text_u"],
                customer_text_je=data["customer_text_je"],
                tags=_tags(data),
                reasons=list(data["reasons"]),
                owner=data["owner"],
                actor=actor(request),
            )
        ),
        done=lambda: redirect("desk:article", article_id=created[0].pk),
        again=lambda f: _form_page(request, f, None, status=422),  # type: ignore[arg-type]
    )


@requires("knowledge.change_article")
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article(article_id)
    if request.method != "POST":
        return _form_page(request, ArticleForm.for_article(article), article)
    return submit(
        request,
        ArticleForm(request.POST),
        lambda data: services.article_update(
            article=article,
            title=data["title"],
            body=data["body"],
            customer_text_u=data["customer_text_u"],
            customer_text_je=data["customer_text_je"],
            tags=_tags(data),
            reasons=list(data["reasons"]),
            owner=data["owner"],
            reviewed=data["reviewed"],
            actor=actor(request),
        ),
        done=lambda: redirect("desk:article", article_id=article.pk),
        again=lambda f: _form_page(request, f, _article(article_id), status=422),  # type: ignore[arg-type]
    )


@requires("knowledge.change_article")
@require_POST
def article_reviewed(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article(article_id)
    apply(request, None, lambda: services.article_mark_reviewed(article=article, actor=actor(request)))
    return redirect_next(request, reverse("desk:article", args=[article.pk]))


@requires("knowledge.archive_article")
@require_POST
def article_archive(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article(article_id)
    apply(request, None, lambda: services.article_archive(article=article, actor=actor(request)))
    return redirect("desk:article", article_id=article.pk)


@requires("knowledge.archive_article")
@require_POST
def article_restore(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article(article_id)
    apply(request, None, lambda: services.article_restore(article=article, actor=actor(request)))
    return redirect("desk:article", article_id=article.pk)


def _address(request: HttpRequest, contact: Contact, given: str | None = None) -> str:
    value = given or request.GET.get("address") or request.POST.get("address") or ""
    if value in ("u", "je"):
        return value

    return contact_address(contact).address


def _suggestions(request: HttpRequest, contact: Contact, address: str) -> HttpResponse:
    page = pages.suggestions_part(contact, actor(request), address)
    return render(request, "web/_article_suggestions.html", page)


@requires("knowledge.view_article")
def contact_articles(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The proposals for a contact as the partial (for the contact page to load with htmx)."""
    contact = _contact(contact_id)
    return _suggestions(request, contact, _address(request, contact))


@requires("knowledge.add_articlefeedback")
@require_POST
def article_feedback(request: HttpRequest, article_id: int) -> HttpResponse:
    """ "Heeft geholpen" / "hielp niet" for a contact: the partial again (htmx) or back to the contact."""
    article = _article(article_id)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Geef een contact en ja of nee."), status=422)
    contact = _contact(form.cleaned_data["contact"])
    apply(
        request,
        None,
        lambda: services.article_feedback(
            article=article, contact=contact, user=actor(request), helped=form.cleaned_data["helped"]
        ),
    )
    if request.htmx:  # type: ignore[attr-defined]
        return _suggestions(request, contact, _address(request, contact, form.cleaned_data["address"]))
    return redirect_next(request, reverse("desk:contact", args=[contact.pk]))


urls: list[URLPattern] = [
    path("knowledge/", article_list, name="articles"),
    path("knowledge/new/", article_create, name="article_new"),
    path("knowledge/<id:article_id>/", article_detail, name="article"),
    path("knowledge/<id:article_id>/edit/", article_edit, name="article_edit"),
    path("knowledge/<id:article_id>/reviewed/", article_reviewed, name="article_reviewed"),
    path("knowledge/<id:article_id>/archive/", article_archive, name="article_archive"),
    path("knowledge/<id:article_id>/restore/", article_restore, name="article_restore"),
    path("knowledge/<id:article_id>/feedback/", article_feedback, name="article_feedback"),
    path("desk/contacts/<id:contact_id>/articles/", contact_articles, name="contact_articles"),
]
