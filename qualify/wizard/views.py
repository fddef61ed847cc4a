"""Wizard views. (Skeleton: the wizard helper fills this in.)"""

from flask import Blueprint

bp = Blueprint("wizard", __name__, template_folder="templates")
