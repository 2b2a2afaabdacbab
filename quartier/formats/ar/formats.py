from quartier.formats import formats

globals().update(formats("d\u200f/m\u200f/Y", "d\u200f/m", comma="،"))
