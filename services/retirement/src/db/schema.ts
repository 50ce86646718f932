export interface PlansTable {
  id: string
  user_id: string
  type: string
  balance_cents: number
  created_at: number
}

export interface RetirementDatabase {
  plans: PlansTable
}
