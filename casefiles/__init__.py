"""Cases, their parties, documents and workflow; the services that change them."""
