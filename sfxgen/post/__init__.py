"""Post-production: from a spotting session's cue sheet to conformed, delivery-ready stems.

``sheet`` reads cue sheets (CSV, or an editorial timeline through OpenTimelineIO) at one of the
:mod:`~sfxgen.post.timebase` frame rates; ``cuedesign`` designs each cue through the service
facade (the main design job, never re-implemented here); ``fit`` places one-shots on their
in-point and fills beds with :mod:`~sfxgen.post.loop` seamless loops; ``conform`` sums the cues
into one BWF stem per track and builds the full mix and the M&E; ``session`` writes the DAW
session (OTIO, AAF, Reaper); ``report`` the cue report; ``job`` runs it all and re-rolls a cue;
``roomtone`` learns a recording's noise floor and synthesises matching room tone.
"""
