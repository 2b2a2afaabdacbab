from quartier.formats import formats

globals().update(formats("d.m.Y", "d.m.", comma=","))
