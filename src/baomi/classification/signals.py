"""What classification tells the apps built on it, without importing them.

``level_changed`` is sent inside the classification service's transaction whenever an item's
level is set (determination, change, lifting, expiry, a review or dispute decision), before
the service audits; a receiver keeps its denormalised copies of the level in step (CLS-2:
every carrier shows the item's mark — ``carriers/signals.py``). Receivers run in the same
transaction: if one fails, the classification change rolls back with it.
"""

from django.dispatch import Signal

#: ``send(sender=Item, item=item)`` — ``item.level`` already holds the new level
level_changed = Signal()

#: ``send(sender=User, user=user, on=day)`` — asked before a case handler proposes or an
#: authority decides (R-DET-12). A receiver (personnel, which keeps the training records)
#: answers the last day the person's 定密 training counts, or ``None`` for no training; with no
#: receiver installed nothing is checked.
determination_training_asked = Signal()
