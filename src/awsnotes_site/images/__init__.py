"""Images (issue 21): sizes, responsive variants, share cards.

- :mod:`.probe`: what an image file is (:func:`~.probe.probe`, never raises), and the
  :class:`~.probe.ProbeCache` the build keeps in ``.cache/images/probes.json``
- :mod:`.variants`: the ``[images]`` settings, which WebP/AVIF copies to make
  (:func:`~.variants.plan`), making them (:func:`~.variants.make`) and their markup
- :mod:`.cache`: the ``.cache/images/`` folder and every key recipe for files in it
- :mod:`.catalog`: the site's images by URL, the resolver the Markdown rule
  (:mod:`awsnotes_site.markdown.images`) asks
- :mod:`.cards`: share cards and the choice of a note's ``og:image``
- :mod:`.refs`: the image names a note's text holds, for the images part of its render
  key (:meth:`~.catalog.ImageCatalog.note_key`)

A build: ``ProbeCache.load`` -> ``ImageCatalog(images, settings, base_path, probes,
candidates=vault attachments).scan()`` (before rendering; forked render workers inherit
the catalog) -> each note's render key takes ``catalog.note_key(note)`` -> render with
``images_plugin(md, resolve=catalog.resolve)`` -> ``make(catalog.derivatives, cache)``
(in the parent, while or after pages render) -> publish ``made.files`` (output path ->
cached file) -> ``probes.save``.
"""
