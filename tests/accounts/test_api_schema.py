"""The API schema documents how to authenticate (SEC-1): the bearer token and the session."""

import pytest
import yaml


@pytest.mark.django_db
def test_schema_names_the_bearer_token(org, client):
    client.force_login(org.staff_secret)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "Authorization: Bearer <API 令牌>",
    }
    assert {"bearerAuth": []} in schema["paths"]["/api/v1/accounts/me/"]["get"]["security"]
