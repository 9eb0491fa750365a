"""Sweeps too big for one machine (the exposure atlas), run partition by partition in-process,
on local worker processes or on a Dask cluster (:mod:`alliancekit.sweeps.runner`)."""
