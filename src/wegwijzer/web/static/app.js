"use strict";
document.getElementById("exit").addEventListener("click", (e) => { e.preventDefault(); location.replace("https://www.google.nl"); });
