/* Draws each dashboard chart from its json_script block (the table beside it holds the same figures).
   A hidden cell (<5, x) arrives as null: Chart.js draws no bar or point for it. */
(function () {
  "use strict";
  var colours = ["#0a58ca", "#198754", "#b35c00", "#6f42c1", "#b02a37"];

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || typeof Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    if (data.horizontal) {
      // one band of bars a label: a long list of units grows the chart instead of squeezing it
      var band = data.datasets.length * 9 + 14;
      canvas.parentNode.style.height = Math.max(288, data.labels.length * band + 70) + "px";
    }
    // a long unit or module name is cut on the axis (the table has it whole), shorter on a phone
    var names = {
      ticks: {
        callback: function (value) {
          var label = String(this.getLabelForValue(value));
          var max = canvas.clientWidth < 500 ? 16 : 32;
          if (label.length <= max) return label;
          // unit names differ at their end (Trường Tiểu học …), module titles at their start (their code)
          return data.keep_end ? "\u2026" + label.slice(label.length - max + 1) : label.slice(0, max - 1) + "\u2026";
        }
      }
    };
    var counts = { beginAtZero: true, ticks: { precision: 0 } };  // people: whole numbers
    new Chart(canvas, {
      type: data.type,
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (d, i) {
          var colour = colours[i % colours.length];
          return { label: d.label, data: d.data, backgroundColor: colour, borderColor: colour, tension: 0.2 };
        })
      },
      options: {
        indexAxis: data.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: data.horizontal ? { x: counts, y: names } : { x: names, y: counts },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
