"""No "- Select an option -" anywhere: Django 6.1's blank choice, replaced in ready().

A declared ``ModelChoiceField`` reads the label when its form class is defined,
so the replacement must happen before any app imports a form; these tests look
at every form class of the project and at the workspace's administration pages.
"""

import importlib
import inspect
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings

pytestmark = pytest.mark.django_db

ENGLISH = "Select an option"


def project_form_classes():
    root = Path(settings.BASE_DIR).resolve()
    for app in apps.get_app_configs():
        if root not in Path(app.path).resolve().parents:
            continue
        for module_name in ("forms", "admin"):
            try:
                module = importlib.import_module(f"{app.name}.{module_name}")
            except ModuleNotFoundError:
                continue
            for name, obj in vars(module).items():
                if inspect.isclass(obj) and issubclass(obj, forms.BaseForm):
                    yield f"{app.name}.{module_name}.{name}", obj


def test_no_form_class_of_the_project_offers_the_english_blank_choice():
    offenders = []
    classes = list(project_form_classes())
    assert any(name == "organizations.forms.PartnershipProposalForm" for name, _ in classes)
    for name, form_class in classes:
        for field_name, field in form_class.base_fields.items():
            labels = [str(getattr(field, "empty_label", None) or "")]
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                labels += [str(label) for _, label in list(field.choices)[:1]]
            if any(ENGLISH in label for label in labels):
                offenders.append(f"{name}.{field_name}")
    assert offenders == []


def test_the_workspace_administration_forms_say_valj(
    client, caplog, kalmar_admin, kalmar, kalmar_partnership
):
    client.force_login(kalmar_admin)
    for url in (
        f"/arbetsyta/organisationer/{kalmar.slug}/",
        f"/arbetsyta/organisationer/{kalmar.slug}/bjud-in/",
        f"/arbetsyta/organisationer/{kalmar.slug}/foresla-samverkan/",
        f"/arbetsyta/samverkan/{kalmar_partnership.pk}/underskrifter/",
        f"/arbetsyta/samverkan/{kalmar_partnership.pk}/teman-och-omraden/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert ENGLISH not in page, url
        if "foresla-samverkan" in url:
            assert "Välj …" in page, url
    # Crispy found every field its layout names (the proposal form drops one).
    assert "Could not resolve form field" not in caplog.text
