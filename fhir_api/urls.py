from __future__ import annotations

from django.urls import URLPattern, path

from fhir_api import views

app_name = "fhir_api"

# FHIR's own paths (type, then id): what FHIR clients expect.
urlpatterns: list[URLPattern] = [
    path("", views.transaction, name="root"),
    path("metadata", views.metadata, name="metadata"),
    path(".well-known/smart-configuration", views.smart_configuration, name="smart_configuration"),
    path("Task", views.task_search, name="task_search"),
    path("Task/<int:pk>", views.task_read, name="task"),
    path("ServiceRequest", views.service_request_search, name="service_request_search"),
    path("ServiceRequest/<int:pk>", views.service_request_read, name="service_request"),
    path("Appointment/<int:pk>", views.appointment_read, name="appointment"),
    path("DocumentReference", views.document_reference_search, name="document_reference_search"),
    path("DocumentReference/<str:document_id>", views.document_reference_read, name="document"),
    path("Binary/<str:document_id>", views.binary_read, name="binary"),
    path("Patient/<int:pk>", views.patient_read, name="patient"),
    path("Practitioner/<int:pk>", views.practitioner_read, name="practitioner"),
]
