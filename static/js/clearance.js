// Creatinine clearance by Cockcroft–Gault, for the referral form's calculator
// (templates/referrals/includes/clearance_calculator.html). Loaded as a file: CSP forbids inline
// scripts. The result goes into the clearance field, which the live panel then reads.
(() => {
  const number = (text) => parseFloat(String(text || "").trim().replace(",", "."));

  const ageOn = (birth, today) => {
    let age = today.getFullYear() - birth.getFullYear();
    const before =
      today.getMonth() < birth.getMonth() ||
      (today.getMonth() === birth.getMonth() && today.getDate() < birth.getDate());
    return before ? age - 1 : age;
  };

  document.addEventListener("click", (event) => {
    if (!event.target.closest("#cg-compute")) {
      return;
    }
    const box = document.getElementById("clearance-calculator");
    const output = document.getElementById("cg-output");
    const birthValue = document.getElementById(box.dataset.birthDate)?.value;
    const sex = document.querySelector(`input[name="${box.dataset.sexName}"]:checked`)?.value;
    const weight = number(document.getElementById("cg-weight").value);
    const creatinine = number(document.getElementById("cg-creatinine").value);
    const birth = birthValue ? new Date(`${birthValue}T00:00:00`) : null;
    if (!birth || Number.isNaN(birth.getTime()) || !["F", "M"].includes(sex) ||
        !(weight > 0) || !(creatinine > 0)) {
      output.textContent = box.dataset.missing;
      return;
    }
    const factor = sex === "M" ? 1.23 : 1.04;
    const clearance = ((140 - ageOn(birth, new Date())) * weight * factor) / creatinine;
    const rounded = Math.max(0, Math.min(250, Math.round(clearance * 10) / 10));
    const field = document.getElementById(box.dataset.target);
    field.value = String(rounded).replace(".", ",");
    field.dispatchEvent(new Event("change", { bubbles: true }));
    output.textContent = box.dataset.result.replace("{value}", field.value);
  });
})();
