"""Attachments: documents kept for objects of the work, checked by content, stored outside the web root, served
through a scoped view, every upload, download and removal audited.

- ``models.Attachment`` and its scope (the owner's), ``registry`` (apps register the objects that take documents),
- ``filetypes`` (type by content, zip-bomb limits, safe names), ``services`` (``attachment_add`` /
  ``attachment_open`` / ``attachment_remove``), ``views`` and ``api`` (pages and API helpers).
"""
